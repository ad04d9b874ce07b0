import {
  baseConfigSchema,
  dbConfigSchema,
  kafkaConfigSchema,
  redisConfigSchema,
  servicePort,
} from '@okc/runtime';
import { type z } from 'zod';

export const SERVICE_NAME = 'focus';

/** The environment of focus, validated once at boot (see libs/runtime/README.md for every variable). */
export const configSchema = baseConfigSchema.extend({
  ...dbConfigSchema.shape,
  ...redisConfigSchema.shape,
  ...kafkaConfigSchema.shape,
  PORT: servicePort(3003),
  DB_NAME: dbConfigSchema.shape.DB_NAME.default('okc_focus'),
});

export type FocusConfig = z.infer<typeof configSchema>;
