import { baseConfigSchema, ConfigError, loadConfig } from '@okc/runtime';
import { authConfigSchema } from './auth.config';

const schema = baseConfigSchema.extend(authConfigSchema.shape);

function issuesOf(env: Record<string, string>): string[] {
  try {
    loadConfig(schema, { PORT: '0', ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => issue.variable);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('authConfigSchema', () => {
  it('has the documented defaults', () => {
    expect(loadConfig(schema, { PORT: '0' })).toMatchObject({
      OIDC_ISSUER: 'http://localhost:8080/sso',
      OIDC_AUDIENCE: 'okc-api',
      OIDC_CLOCK_TOLERANCE_S: 5,
      OIDC_JWKS_COOLDOWN_MS: 30_000,
    });
    expect(loadConfig(schema, { PORT: '0' })).not.toHaveProperty('OIDC_DISCOVERY_URL');
  });

  it('strips trailing slashes of the URLs and coerces the numbers', () => {
    expect(
      loadConfig(schema, {
        PORT: '0',
        OIDC_ISSUER: 'https://okc.example.com/sso/',
        OIDC_DISCOVERY_URL: 'http://127.0.0.1:3001/sso//',
        OIDC_AUDIENCE: 'okc-internal',
        OIDC_CLOCK_TOLERANCE_S: '0',
        OIDC_JWKS_COOLDOWN_MS: '0',
      }),
    ).toMatchObject({
      OIDC_ISSUER: 'https://okc.example.com/sso',
      OIDC_DISCOVERY_URL: 'http://127.0.0.1:3001/sso',
      OIDC_AUDIENCE: 'okc-internal',
      OIDC_CLOCK_TOLERANCE_S: 0,
      OIDC_JWKS_COOLDOWN_MS: 0,
    });
  });

  it.each([
    ['OIDC_ISSUER', 'not a url'],
    ['OIDC_ISSUER', 'ftp://okc.example.com/sso'],
    ['OIDC_DISCOVERY_URL', 'localhost:3001'],
    ['OIDC_AUDIENCE', ''],
    ['OIDC_CLOCK_TOLERANCE_S', '121'],
    ['OIDC_CLOCK_TOLERANCE_S', '-1'],
    ['OIDC_CLOCK_TOLERANCE_S', '1.5'],
    ['OIDC_JWKS_COOLDOWN_MS', '-1'],
  ])('refuses %s=%p', (variable, value) => {
    expect(issuesOf({ [variable]: value })).toEqual([variable]);
  });
});
