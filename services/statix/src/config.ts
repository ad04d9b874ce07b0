import { authConfigSchema } from '@okc/auth';
import { serviceConfigSchema } from '@okc/runtime';
import { type z } from 'zod';

export const SERVICE_NAME = 'statix';

/** The environment of statix, validated once at boot (see libs/runtime/README.md for every variable). */
export const configSchema = serviceConfigSchema({ port: 3004, database: 'okc_statix' }).extend(
  authConfigSchema.shape,
);

export type StatixConfig = z.infer<typeof configSchema>;
