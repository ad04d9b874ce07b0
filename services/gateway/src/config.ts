import {
  baseConfigSchema,
  kafkaConfigSchema,
  publicUrlConfigSchema,
  redisConfigSchema,
  servicePort,
} from '@okc/runtime';
import { type z } from 'zod';

export const SERVICE_NAME = 'gateway';

/** The environment of gateway, validated once at boot (see libs/runtime/README.md for every variable). */
export const configSchema = baseConfigSchema.extend({
  ...redisConfigSchema.shape,
  ...kafkaConfigSchema.shape,
  ...publicUrlConfigSchema.shape,
  PORT: servicePort(8080),
});

export type GatewayConfig = z.infer<typeof configSchema>;
