// Two jest projects: fast unit specs (`*.spec.ts`, beside the code) and integration specs
// (`test/*.int-spec.ts`) that talk to the real MariaDB, Redis and Kafka. `npm test` runs both, and Vitest for
// the browser code.
const preset = require('./jest.preset.cjs');
module.exports = {
  projects: [
    {
      ...preset,
      displayName: 'unit',
      testMatch: ['<rootDir>/{libs,services,tools,deploy}/**/*.spec.ts'],
      // Browser code tests with Vitest (vitest.config.mts): libs/web and apps/*.
      testPathIgnorePatterns: [...preset.testPathIgnorePatterns, '<rootDir>/libs/web/'],
    },
    {
      ...preset,
      displayName: 'int',
      testMatch: ['<rootDir>/{libs,services,tools,deploy}/**/*.int-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/tools/jest/int-setup.cjs'],
      globalSetup: '<rootDir>/tools/jest/global-setup.cjs',
    },
  ],
};
