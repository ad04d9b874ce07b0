import { z } from 'zod';

const httpUrl = (what: string) =>
  z
    .url({ protocol: /^https?$/, error: `expected an http:// or https:// URL (${what})` })
    .transform((url) => url.replace(/\/+$/, ''));

/**
 * The environment of token validation, a fragment every service adds to its schema:
 *
 *   export const configSchema = serviceConfigSchema({ port: 3003, database: 'okc_focus' })
 *     .extend(authConfigSchema.shape);
 *
 * `AuthModule.forService()` reads these from `APP_CONFIG` and refuses to start without them.
 */
export const authConfigSchema = z.object({
  /**
   * The issuer identifier, exactly as the SSO puts it into `iss` (`<PUBLIC_URL>/sso`). Trailing slashes are
   * removed: oidc-provider's issuer has none, and jose compares `iss` as an exact string.
   */
  OIDC_ISSUER: httpUrl('OIDC_ISSUER').default('http://localhost:8080/sso'),
  /**
   * Where this process actually reaches the issuer, when not through its public URL (the public URL goes
   * through the gateway, which a service should not depend on to check tokens): every request to a URL
   * under `OIDC_ISSUER` — discovery and JWKS — is sent under this base instead, e.g.
   * `http://127.0.0.1:3001/sso`. The issuer identifier that tokens must carry does not change.
   */
  OIDC_DISCOVERY_URL: httpUrl('OIDC_DISCOVERY_URL').optional(),
  /** The `aud` every access token must name. */
  OIDC_AUDIENCE: z.string().min(1).default('okc-api'),
  /** Leeway for `exp` and `nbf`, for clocks that drift between hosts. */
  OIDC_CLOCK_TOLERANCE_S: z.coerce.number().int().min(0).max(120).default(5),
  /**
   * After fetching the JWKS, how long a token with an unknown `kid` is rejected without fetching again, so
   * a flood of forged `kid`s cannot turn into a flood of requests to the issuer. Tests set 0.
   */
  OIDC_JWKS_COOLDOWN_MS: z.coerce.number().int().min(0).default(30_000),
  /**
   * How long a verified token is remembered, so the same token on the next request is not verified again
   * (never past its `exp`; 0 turns it off). A key the issuer stops publishing is honoured at most this long.
   */
  OIDC_VERIFIED_CACHE_MS: z.coerce.number().int().min(0).max(300_000).default(60_000),
});
export type AuthConfig = z.infer<typeof authConfigSchema>;
