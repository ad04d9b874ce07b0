import { atLeastOneField, queryBoolean, strictObject } from '@okc/runtime';
import { ApiProperty } from '@nestjs/swagger';
import { type Role, ROLES } from '@okc/contracts';
import { z } from 'zod';
import { limitSchema } from '../admin/admin-http';
import { LOCALES } from '../tenants/tenant.entity';
import type { User } from './user.entity';

// ---------------------------------------------------------------------------------------------------------
// Request schemas (zod): the validation, and through openApiSchemaOf() the documentation.

/** As typed before `@tenant` at sign-in: no spaces, no `@`; stored lower-case. */
export const loginSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[^\s@]{1,128}$/u, 'a login is 1–128 characters without spaces or "@"')
  .describe('Stored lower-case; unique in the tenant. Users sign in as `login@tenant`.');

export const displayNameSchema = z.string().trim().min(1).max(256);
export const emailSchema = z.email().max(320);

/** At least one role; duplicates removed, kept in the order of ROLES so snapshots compare equal. */
export const rolesSchema = z
  .array(z.enum(ROLES))
  .min(1, 'at least one role')
  .max(ROLES.length * 2)
  .transform((roles): Role[] => ROLES.filter((r) => roles.includes(r)));

export const extensionSchema = z.string().regex(/^\d{2,10}$/, 'an extension is 2–10 digits');

export const pbxInterfaceSchema = z
  .string()
  .max(128)
  .regex(/^[A-Za-z][A-Za-z0-9_]*\/\S{1,120}$/, 'a PBX interface such as PJSIP/101 or SIP/101')
  .describe('The PBX interface of the extension, as queue members are named; default `PJSIP/<extension>`.');

/**
 * A queue name as the PBX knows it. No whitespace, quotes, backslashes or control characters: besides
 * being what Asterisk queue names look like, it keeps the stored JSON list searchable exactly.
 */
export const queueNameSchema = z
  .string()
  .regex(/^[^\s"\\\p{Cc}]{1,128}$/u, 'a queue name is 1–128 characters without spaces, quotes or "\\"');

export const queuesSchema = z
  .array(queueNameSchema)
  .max(200)
  .transform((queues) => [...new Set(queues)]);

export const localeSchema = z.enum(LOCALES);

/** The password policy (users/password.ts) is checked by the service, which reports its codes. */
const passwordSchema = z
  .string()
  .max(4096)
  .describe('Checked against the password policy (12+ characters, …).');

export const createUserSchema = strictObject({
  login: loginSchema,
  name: displayNameSchema,
  email: emailSchema.optional(),
  password: passwordSchema,
  roles: rolesSchema,
  extension: extensionSchema.optional(),
  pbxInterface: pbxInterfaceSchema.optional(),
  queues: queuesSchema.optional(),
  locale: localeSchema.optional(),
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

/** `null` clears an optional field. */
export const updateUserSchema = strictObject({
  name: displayNameSchema.optional(),
  email: emailSchema.nullable().optional(),
  roles: rolesSchema.optional(),
  extension: extensionSchema.nullable().optional(),
  pbxInterface: pbxInterfaceSchema.nullable().optional(),
  queues: queuesSchema.optional(),
  locale: localeSchema.nullable().optional(),
}).refine(atLeastOneField, 'nothing to change: name at least one field');
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

export const setPasswordSchema = strictObject({ password: passwordSchema });
export type SetPasswordInput = z.infer<typeof setPasswordSchema>;

export const listUsersQuerySchema = strictObject({
  search: z
    .string()
    .trim()
    .max(128)
    .optional()
    .describe('Part of the login, name or e-mail (case-insensitive).'),
  role: z.enum(ROLES).optional(),
  active: queryBoolean.optional(),
  queue: queueNameSchema.optional(),
  limit: limitSchema,
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ListUsersQuery = z.infer<typeof listUsersQuerySchema>;

// ---------------------------------------------------------------------------------------------------------
// Responses

export class UserDto {
  @ApiProperty({ format: 'uuid', description: 'The OIDC `sub`.' })
  id!: string;

  @ApiProperty({ example: 'demo' })
  tenantId!: string;

  @ApiProperty({ example: 'op1' })
  login!: string;

  @ApiProperty({ example: 'Оператор 1' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'op1@example.com' })
  email!: string | null;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['operator'] })
  roles!: Role[];

  @ApiProperty({ description: 'An inactive user cannot sign in.' })
  active!: boolean;

  @ApiProperty({ type: String, nullable: true, example: '101' })
  extension!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'PJSIP/101' })
  pbxInterface!: string | null;

  @ApiProperty({ type: [String], example: ['support', 'sales'] })
  queues!: string[];

  @ApiProperty({ enum: LOCALES, nullable: true, description: 'null: the tenant’s language.' })
  locale!: 'ru' | 'en' | null;

  @ApiProperty({ format: 'date-time' })
  passwordChangedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastLoginAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class UserListDto {
  @ApiProperty({ type: [UserDto] })
  items!: UserDto[];

  @ApiProperty({ description: 'How many users match the filters (all pages).', example: 8 })
  total!: number;
}

/** Never the password hash. */
export function toUserDto(user: User): UserDto {
  return {
    id: user.id,
    tenantId: user.tenantId,
    login: user.login,
    name: user.name,
    email: user.email,
    roles: [...user.roles],
    active: user.active,
    extension: user.extension,
    pbxInterface: user.pbxInterface,
    queues: [...user.queues],
    locale: user.locale,
    passwordChangedAt: user.passwordChangedAt.toISOString(),
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
