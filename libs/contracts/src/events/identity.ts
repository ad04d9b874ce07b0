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
/** A DNS name (labels of a-z, 0-9 and inner hyphens) or a bracketed IPv6 address; IPv4 is a DNS-like name. */
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$/;

/**
 * A browser origin a tenant's own web applications call the integrator API from, as browsers send it in
 * `Origin`: `https://host` or `https://host:port`, lowercase, no path and no trailing slash.
 */
export const corsOriginSchema = z
  .string()
  .max(300)
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.origin === value &&
      HOST.test(url.hostname)
    );
  }, 'an origin is scheme://host[:port] in lowercase, without a path or a trailing slash (https://crm.example.com)');

/** At most this many allowed origins per tenant. */
export const MAX_CORS_ORIGINS = 20;

/** A tenant as other services see it (`tenant.created` and `tenant.updated`, key = tenant id). */
export const tenantSnapshotSchema = z.object({
  name: z.string().min(1).max(256),
  locale: z.enum(['ru', 'en']),
  /** An inactive tenant's users cannot sign in and its clients get no tokens. */
  active: z.boolean().default(true),
  /** Origins allowed to call the API from a browser (CORS at the gateway); empty: none. */
  corsOrigins: z.array(corsOriginSchema).max(MAX_CORS_ORIGINS).default([]),
});
export const tenantCreatedSchema = tenantSnapshotSchema;
/** Newer than `tenant.created`: every field is required. */
export const tenantUpdatedSchema = tenantSnapshotSchema.extend({
  active: z.boolean(),
  corsOrigins: z.array(corsOriginSchema).max(MAX_CORS_ORIGINS),
});
