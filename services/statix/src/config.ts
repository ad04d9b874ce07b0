import {
  baseConfigSchema,
  dbConfigSchema,
  kafkaConfigSchema,
  redisConfigSchema,
  servicePort,
} from '@okc/runtime';
import { type z } from 'zod';

export const SERVICE_NAME = 'statix';

/** The environment of statix, validated once at boot (see libs/runtime/README.md for every variable). */
export const configSchema = baseConfigSchema.extend({
  ...dbConfigSchema.shape,
  ...redisConfigSchema.shape,
  ...kafkaConfigSchema.shape,
  PORT: servicePort(3004),
  DB_NAME: dbConfigSchema.shape.DB_NAME.default('okc_statix'),
});

export type StatixConfig = z.infer<typeof configSchema>;
