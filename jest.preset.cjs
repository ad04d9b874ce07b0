// Shared jest settings: SWC transform (CommonJS out, decorators + metadata for NestJS), UTC, @okc/* aliases to sources.
const path = require('node:path');
const root = __dirname;
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
  swcrc: false,
};
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.m?ts$': ['@swc/jest', swc] },
  moduleFileExtensions: ['ts', 'mts', 'js', 'json'],
  moduleNameMapper: {
    '^@okc/([a-z-]+)$': path.join(root, 'libs/$1/src/index.ts'),
    '^@okc/([a-z-]+)/testing$': path.join(root, 'libs/$1/src/testing/index.ts'),
  },
  setupFiles: [path.join(root, 'tools/jest/setup-env.cjs')],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
