import {
  baseConfigSchema,
  kafkaConfigSchema,
  publicUrlConfigSchema,
  redisConfigSchema,
  servicePort,
} from '@okc/runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'gateway';

/** Development-only values, refused when NODE_ENV=production. */
export const DEV_SECRETS = {
  SESSION_SECRET: 'dev-only-session-secret-change-me-0123456789',
  /** The same development default as sso's SSO_GATEWAY_CLIENT_SECRET. */
  GATEWAY_CLIENT_SECRET: 'dev-only-gateway-client-secret',
} as const;

const serviceUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
    .default(fallback)
    .transform((url) => url.replace(/\/+$/, ''));

/** The environment of gateway, validated once at boot (see services/gateway/README.md). */
export const configSchema = baseConfigSchema
  .extend({
    ...redisConfigSchema.shape,
    ...kafkaConfigSchema.shape,
    ...publicUrlConfigSchema.shape,
    PORT: servicePort(8080),
    /** Where the gateway reaches each service; `/sso/*` and `/api/<service>/*` are forwarded there. */
    SSO_URL: serviceUrl('http://127.0.0.1:3001'),
    PBX_INTEGRATION_URL: serviceUrl('http://127.0.0.1:3002'),
    FOCUS_URL: serviceUrl('http://127.0.0.1:3003'),
    STATIX_URL: serviceUrl('http://127.0.0.1:3004'),
    HELPER_URL: serviceUrl('http://127.0.0.1:3005'),
    /** Signs the session cookie; at least 32 characters. */
    SESSION_SECRET: z.string().min(32).default(DEV_SECRETS.SESSION_SECRET),
    /**
     * Lifetime of a browser session from sign-in (each token refresh saves it again). Not sliding on every
     * request: rewriting the session on each request halved the gateway's throughput (bench:gateway).
     */
    SESSION_TTL_S: z.coerce
      .number()
      .int()
      .min(300)
      .max(30 * 86400)
      .default(12 * 3600),
    /** The gateway's OIDC client at sso (a confidential client; sso configures it from its own env). */
    GATEWAY_CLIENT_ID: z.string().min(1).default('okc-gateway'),
    GATEWAY_CLIENT_SECRET: z.string().min(16).default(DEV_SECRETS.GATEWAY_CLIENT_SECRET),
    /** Refresh a session's access token when it has less than this left. */
    TOKEN_REFRESH_MARGIN_S: z.coerce.number().int().min(5).max(600).default(60),
    /** Requests a minute through `/api` with a caller's own Bearer token: per tenant, and per client. */
    RATE_LIMIT_TENANT_PER_MIN: z.coerce.number().int().min(1).default(1200),
    RATE_LIMIT_CLIENT_PER_MIN: z.coerce.number().int().min(1).default(600),
    /** Upstream timeouts: connect + response. */
    PROXY_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV !== 'production') return;
    for (const [name, value] of Object.entries(DEV_SECRETS)) {
      if (config[name as keyof typeof DEV_SECRETS] === value) {
        ctx.addIssue({ code: 'custom', path: [name], message: `${name} must be set in production` });
      }
    }
  });

export type GatewayConfig = z.infer<typeof configSchema>;
