import { publicUrlConfigSchema, serviceConfigSchema } from '@okc/runtime';
import { type z } from 'zod';

export const SERVICE_NAME = 'sso';

/** The environment of sso, validated once at boot (see libs/runtime/README.md for every variable). */
export const configSchema = serviceConfigSchema({ port: 3001, database: 'okc_sso' }).extend(
  publicUrlConfigSchema.shape,
);

export type SsoConfig = z.infer<typeof configSchema>;
