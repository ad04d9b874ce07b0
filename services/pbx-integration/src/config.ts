import {
  baseConfigSchema,
  dbConfigSchema,
  kafkaConfigSchema,
  redisConfigSchema,
  servicePort,
} from '@okc/runtime';
import { type z } from 'zod';

export const SERVICE_NAME = 'pbx-integration';

/** The environment of pbx-integration, validated once at boot (see libs/runtime/README.md for every variable). */
export const configSchema = baseConfigSchema.extend({
  ...dbConfigSchema.shape,
  ...redisConfigSchema.shape,
  ...kafkaConfigSchema.shape,
  PORT: servicePort(3002),
  DB_NAME: dbConfigSchema.shape.DB_NAME.default('okc_pbx'),
});

export type PbxIntegrationConfig = z.infer<typeof configSchema>;
