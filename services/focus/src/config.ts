import { authConfigSchema } from '@okc/auth';
import { serviceConfigSchema } from '@okc/runtime';
import { type z } from 'zod';

export const SERVICE_NAME = 'focus';

/** The environment of focus, validated once at boot (see libs/runtime/README.md for every variable). */
export const configSchema = serviceConfigSchema({ port: 3003, database: 'okc_focus' }).extend(
  authConfigSchema.shape,
);

export type FocusConfig = z.infer<typeof configSchema>;
