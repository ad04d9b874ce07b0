import { z } from 'zod';
import { ROLES, idSchema, pbxInterfaceSchema, queueNameSchema } from '../primitives';

/** topic `identity.users.v1`, key = userId (tenant.created: key = tenant id). */
export const userSnapshotSchema = z.object({
  userId: idSchema,
  login: z.string().min(1).max(128),
  name: z.string().max(256),
  roles: z.array(z.enum(ROLES)).max(ROLES.length),
  active: z.boolean(),
  extension: z.string().max(32).nullable(),
  pbxInterface: pbxInterfaceSchema.nullable(),
  queues: z.array(queueNameSchema).max(200),
});
export const userCreatedSchema = userSnapshotSchema;
export const userUpdatedSchema = userSnapshotSchema;
export const userDeactivatedSchema = z.object({ userId: idSchema });
export const tenantCreatedSchema = z.object({
  name: z.string().min(1).max(256),
  locale: z.enum(['ru', 'en']),
});
