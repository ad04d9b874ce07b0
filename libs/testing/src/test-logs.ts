import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Where an in-process service under test writes its logs: nowhere by default (test output stays readable),
 * or `<OKC_TEST_LOG_DIR>/<name>.log` when that variable is set, at `OKC_TEST_LOG_LEVEL` (default `debug`).
 * The way to see what a service did in a failing integration test:
 *   OKC_TEST_LOG_DIR=/tmp/okc-logs npx jest services/pbx-integration/test/simulator.int-spec.ts
 */
export function testLogging(name: string): {
  logDestination: { write(line: string): void };
  logLevel: string | undefined;
} {
  const dir = process.env.OKC_TEST_LOG_DIR;
  if (!dir) return { logDestination: { write: () => undefined }, logLevel: undefined };
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.log`);
  return {
    logDestination: { write: (line: string) => appendFileSync(file, line) },
    logLevel: process.env.OKC_TEST_LOG_LEVEL ?? 'debug',
  };
}
