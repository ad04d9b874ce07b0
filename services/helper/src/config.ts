import { authConfigSchema } from '@okc/auth';
import { serviceConfigSchema } from '@okc/runtime';
import { type z } from 'zod';

export const SERVICE_NAME = 'helper';

/** The environment of helper, validated once at boot (see libs/runtime/README.md for every variable). */
export const configSchema = serviceConfigSchema({ port: 3005, database: 'okc_helper' }).extend(
  authConfigSchema.shape,
);

export type HelperConfig = z.infer<typeof configSchema>;
