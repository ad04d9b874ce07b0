import { authConfigSchema } from '@okc/auth';
import { publicUrlConfigSchema, serviceConfigSchema } from '@okc/runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'sso';

/** Development-only values: refused when NODE_ENV=production, so a real deployment must set its own. */
export const DEV_SECRETS = {
  SSO_KEYS_SECRET: 'dev-only-keys-secret-change-me-0123456789',
  SSO_COOKIE_SECRET: 'dev-only-cookie-secret-change-me-0123456789',
  SSO_GATEWAY_CLIENT_SECRET: 'dev-only-gateway-client-secret',
} as const;

const secret = (name: keyof typeof DEV_SECRETS) =>
  z.string().min(32, `${name} must be at least 32 characters`).default(DEV_SECRETS[name]);

const ms = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** The environment of sso, validated once at boot (see services/sso/README.md for every variable). */
export const configSchema = serviceConfigSchema({ port: 3001, database: 'okc_sso' })
  .extend(publicUrlConfigSchema.shape)
  .extend(authConfigSchema.shape)
  .extend({
    /** Encrypts the private signing keys stored in the database. */
    SSO_KEYS_SECRET: secret('SSO_KEYS_SECRET'),
    /** Signs oidc-provider's session and interaction cookies. */
    SSO_COOKIE_SECRET: secret('SSO_COOKIE_SECRET'),
    /** The gateway's client secret (the gateway, issue #4, is the one first-party client). */
    SSO_GATEWAY_CLIENT_SECRET: z.string().min(16).default(DEV_SECRETS.SSO_GATEWAY_CLIENT_SECRET),
    /** Extra redirect URIs of the gateway client, comma-separated (besides `<PUBLIC_URL>/auth/callback`). */
    SSO_GATEWAY_REDIRECT_URIS: z.string().default(''),
    /** Users of this tenant with role `admin` manage tenants and signing keys. */
    SSO_PLATFORM_TENANT: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)
      .default('platform'),
    /** Access-token lifetime: 5–15 minutes. */
    SSO_ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(300).max(900).default(600),
    SSO_REFRESH_TOKEN_TTL_S: z.coerce
      .number()
      .int()
      .min(3600)
      .max(90 * 86400)
      .default(14 * 86400),
    SSO_SESSION_TTL_S: z.coerce
      .number()
      .int()
      .min(600)
      .max(30 * 86400)
      .default(12 * 3600),
    /** Age of the signing key after which the next one takes over. */
    SSO_KEY_ROTATION_DAYS: z.coerce.number().min(1).max(365).default(30),
    /** How often each instance re-reads the key set (another instance may have rotated). */
    SSO_KEY_RELOAD_MS: ms(1000, 3_600_000, 30_000),
    /** Brute-force protection (see login/brute-force.ts); tests shorten these. */
    SSO_LOGIN_FREE_ATTEMPTS: z.coerce.number().int().min(0).max(100).default(5),
    SSO_LOGIN_DELAY_BASE_MS: ms(1, 60_000, 250),
    SSO_LOGIN_DELAY_MAX_MS: ms(1, 60_000, 8_000),
    SSO_LOCKOUT_THRESHOLD: z.coerce.number().int().min(3).max(100).default(20),
    SSO_LOCKOUT_MS: ms(1000, 86_400_000, 15 * 60_000),
    SSO_LOCKOUT_MAX_MS: ms(1000, 86_400_000, 60 * 60_000),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV !== 'production') return;
    for (const [name, value] of Object.entries(DEV_SECRETS)) {
      if (config[name as keyof typeof DEV_SECRETS] === value) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `${name} must be set in production (the development default is public)`,
        });
      }
    }
  })
  // sso checks its admin API's tokens against itself: the issuer is its own, reached directly.
  .transform((config) => ({
    ...config,
    OIDC_ISSUER: `${config.PUBLIC_URL}/sso`,
    OIDC_DISCOVERY_URL: config.OIDC_DISCOVERY_URL ?? `http://127.0.0.1:${config.PORT}/sso`,
  }));

export type SsoConfig = z.infer<typeof configSchema>;
