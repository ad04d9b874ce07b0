/** One bad environment variable and why it is bad. */
export interface ConfigIssue {
  readonly variable: string;
  readonly reason: string;
}

/**
 * Thrown by `loadConfig` when the environment does not match the service's schema. The message names every
 * bad variable at once, so one failed boot is enough to fix them all.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly issues: readonly ConfigIssue[]) {
    super(`Invalid environment: ${issues.map((i) => `${i.variable} — ${i.reason}`).join('; ')}`);
  }
}
