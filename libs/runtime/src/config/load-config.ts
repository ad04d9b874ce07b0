import { type z } from 'zod';
import { ConfigError, type ConfigIssue } from './config.errors';

type Env = Readonly<Record<string, string | undefined>>;

/** Values of these variables never appear in an error message. */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|CREDENTIAL|PRIVATE|_KEY$/i;
const MAX_ECHO = 80;

/**
 * Parses the environment with the service's schema, once, at boot. On failure throws a `ConfigError` that
 * names every bad variable with the reason, e.g.
 * `Invalid environment: DB_PORT — expected a number, got "abc"; KAFKA_BROKERS — required`.
 */
export function loadConfig<T extends z.ZodType>(schema: T, env: Env = process.env): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(collectIssues(result.error.issues, env));
}

function collectIssues(issues: readonly z.core.$ZodIssue[], env: Env): ConfigIssue[] {
  const reasons = new Map<string, string[]>();
  for (const issue of issues) {
    const head = issue.path[0];
    const variable = typeof head === 'string' ? head : '(environment)';
    const list = reasons.get(variable) ?? [];
    const reason = describeIssue(issue, env[variable]);
    if (!list.includes(reason)) list.push(reason);
    reasons.set(variable, list);
  }
  return [...reasons].map(([variable, list]) => ({
    variable,
    reason: list.join(', ') + echoValue(variable, env[variable], list),
  }));
}

function describeIssue(issue: z.core.$ZodIssue, raw: string | undefined): string {
  switch (issue.code) {
    case 'invalid_type':
      if (raw === undefined) return 'required';
      return `expected ${article(issue.expected === 'int' ? 'integer' : issue.expected)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join('|')}`;
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1
          ? 'must not be empty'
          : `must be at least ${issue.minimum} characters`;
      }
      return issue.inclusive ? `must be ≥ ${issue.minimum}` : `must be > ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      return issue.inclusive ? `must be ≤ ${issue.maximum}` : `must be < ${issue.maximum}`;
    case 'invalid_format':
      return issue.format === 'url' && issue.message === 'Invalid URL' ? 'expected a URL' : issue.message;
    case 'custom':
    case 'invalid_element':
    case 'invalid_key':
    case 'invalid_union':
    case 'not_multiple_of':
    case 'unrecognized_keys':
      return issue.message;
  }
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** Appends `, got "<value>"` unless the variable is missing, secret, or the reason already says it. */
function echoValue(variable: string, raw: string | undefined, reasons: readonly string[]): string {
  if (raw === undefined || reasons.includes('required') || SECRET_NAME.test(variable)) return '';
  const masked = raw.replace(/\/\/[^/@\s]*@/g, '//***@');
  const shown = masked.length > MAX_ECHO ? `${masked.slice(0, MAX_ECHO)}…` : masked;
  return `, got ${JSON.stringify(shown)}`;
}
