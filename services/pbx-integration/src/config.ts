import { authConfigSchema } from '@okc/auth';
import { serviceConfigSchema } from '@okc/runtime';
import { type z } from 'zod';

export const SERVICE_NAME = 'pbx-integration';

/** The environment of pbx-integration, validated once at boot (see libs/runtime/README.md for every variable). */
export const configSchema = serviceConfigSchema({ port: 3002, database: 'okc_pbx' }).extend(
  authConfigSchema.shape,
);

export type PbxIntegrationConfig = z.infer<typeof configSchema>;
