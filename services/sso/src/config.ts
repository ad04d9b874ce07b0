import {
  baseConfigSchema,
  dbConfigSchema,
  kafkaConfigSchema,
  publicUrlConfigSchema,
  redisConfigSchema,
  servicePort,
} from '@okc/runtime';
import { type z } from 'zod';

export const SERVICE_NAME = 'sso';

/** The environment of sso, validated once at boot (see libs/runtime/README.md for every variable). */
export const configSchema = baseConfigSchema.extend({
  ...dbConfigSchema.shape,
  ...redisConfigSchema.shape,
  ...kafkaConfigSchema.shape,
  ...publicUrlConfigSchema.shape,
  PORT: servicePort(3001),
  DB_NAME: dbConfigSchema.shape.DB_NAME.default('okc_sso'),
});

export type SsoConfig = z.infer<typeof configSchema>;
