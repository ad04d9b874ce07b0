import {
  baseConfigSchema,
  kafkaConfigSchema,
  publicUrlConfigSchema,
  redisConfigSchema,
  servicePort,
} from '@okc/runtime';
import { z } from 'zod';

export const SERVICE_NAME = 'gateway';

/** The environment of gateway, validated once at boot (see libs/runtime/README.md for every variable). */
export const configSchema = baseConfigSchema.extend({
  ...redisConfigSchema.shape,
  ...kafkaConfigSchema.shape,
  ...publicUrlConfigSchema.shape,
  PORT: servicePort(8080),
  /** Where the gateway reaches sso; `/sso/*` is forwarded there unchanged (the issuer is `<PUBLIC_URL>/sso`). */
  SSO_URL: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
    .default('http://127.0.0.1:3001')
    .transform((url) => url.replace(/\/+$/, '')),
});

export type GatewayConfig = z.infer<typeof configSchema>;
