import { authConfigSchema } from '@okc/auth';
import { serviceConfigSchema } from '@okc/runtime';
import { z } from 'zod';
import { parseCidr } from './http/outbound-guard';

export const SERVICE_NAME = 'pbx-integration';

/** Development-only values, refused when NODE_ENV=production. */
export const DEV_SECRETS = {
  /** 32 bytes, base64: encrypts PBX secrets at rest (AES-256-GCM). */
  PBX_SECRET_KEY: 'ZGV2LW9ubHktcGJ4LXNlY3JldC1rZXktMzItYnl0ZXM=',
} as const;

/** A 32-byte key given as base64 (`openssl rand -base64 32`). */
const keySchema = z
  .string()
  .refine(
    (value) => Buffer.from(value, 'base64').length === 32,
    'expected 32 bytes in base64 (openssl rand -base64 32)',
  );

/** The environment of pbx-integration, validated once at boot (see libs/runtime/README.md for every variable). */
export const configSchema = serviceConfigSchema({ port: 3002, database: 'okc_pbx' })
  .extend({
    ...authConfigSchema.shape,
    /** Encrypts each connection's AMI secret at rest; rotating it needs the secrets re-entered. */
    PBX_SECRET_KEY: keySchema.default(DEV_SECRETS.PBX_SECRET_KEY),
    /** Outbound webhooks: how long a receiver may take, the first retry delay (doubling), attempts per event. */
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(10_000),
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
    /** Failed attempts in a row after which a webhook is disabled (with the reason shown). */
    WEBHOOK_DISABLE_AFTER: z.coerce.number().int().min(1).max(1000).default(20),
    /** How often due deliveries are looked for. */
    WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
    /** Dialplan contexts of commands: click-to-call dials out from, a held caller waits in, transfers dial in. */
    PBX_ORIGINATE_CONTEXT: z.string().min(1).max(80).default('from-internal'),
    PBX_HOLD_CONTEXT: z.string().min(1).max(80).default('okc-hold'),
    PBX_TRANSFER_CONTEXT: z.string().min(1).max(80).default('from-internal'),
    /** How long a command may wait for the PBX's answer (never past the command's own expiry). */
    PBX_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(5_000),
    /** Where facts wait on disk when the database is slow or away (memory first, then here). */
    PBX_SPOOL_DIR: z.string().min(1).default('.okc/pbx-spool'),
    PBX_SPOOL_MEMORY_FACTS: z.coerce.number().int().min(100).max(1_000_000).default(20_000),
    PBX_SPOOL_DISK_BYTES: z.coerce.number().int().min(1_000_000).default(1_073_741_824),
    /** How long written fact keys are remembered for de-duplication (re-sync, queue_log backfill window). */
    PBX_FACT_MEMORY_DAYS: z.coerce.number().int().min(1).max(90).default(7),
    /** Plain http:// receivers are refused in production unless this is set. */
    WEBHOOK_ALLOW_HTTP: z.stringbool().default(false),
    /** Caller lookup: how long a screen pop may wait for the lookup connectors (slower ones are left out). */
    LOOKUP_DEADLINE_MS: z.coerce.number().int().min(50).max(10_000).default(1_500),
    /** How long a "not found" answer is reused (capped by the connector's cache TTL). */
    LOOKUP_MISS_TTL_S: z.coerce.number().int().min(0).max(86_400).default(60),
    /** Connections per mysql lookup connector and instance. */
    LOOKUP_MYSQL_POOL_SIZE: z.coerce.number().int().min(1).max(10).default(2),
    /** Plain http:// lookup URLs are refused in production unless this is set. */
    LOOKUP_ALLOW_HTTP: z.stringbool().default(false),
    /** Webhooks and lookups may call loopback addresses: default yes outside production, no in it. */
    OUTBOUND_ALLOW_LOOPBACK: z.stringbool().optional(),
    /** Comma-separated CIDRs webhooks and lookups may never call (the platform's own networks). */
    OUTBOUND_DENY_CIDRS: z
      .string()
      .default('')
      .transform((text) =>
        text
          .split(',')
          .map((c) => c.trim())
          .filter(Boolean),
      )
      .refine(
        (cidrs) => cidrs.every((c) => parseCidr(c) !== null),
        'a comma-separated list of CIDRs (10.0.0.0/8, fd00::/8)',
      ),
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV !== 'production') return;
    for (const [name, value] of Object.entries(DEV_SECRETS)) {
      if (config[name as keyof typeof DEV_SECRETS] === value) {
        ctx.addIssue({ code: 'custom', path: [name], message: `${name} must be set in production` });
      }
    }
  });

export type PbxIntegrationConfig = z.infer<typeof configSchema>;
