import { atLeastOneField, strictObject } from '@okc/runtime';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { corsOriginSchema, MAX_CORS_ORIGINS, tenantIdSchema } from '@okc/contracts';
import { z } from 'zod';
import { displayNameSchema, emailSchema, localeSchema, loginSchema, UserDto } from '../users/users.dto';
import { LOCALES, type Tenant } from './tenant.entity';

export const tenantSlugSchema = tenantIdSchema.describe(
  'The slug users type after `@` (`op1@acme`) and the `tenant` claim: 1–64 of a-z, 0-9, "-", "_".',
);

/** The tenant's CORS allow-list: distinct origins, at most MAX_CORS_ORIGINS. */
export const corsOriginsSchema = z
  .array(corsOriginSchema)
  .max(MAX_CORS_ORIGINS)
  .refine((origins) => new Set(origins).size === origins.length, 'each origin at most once')
  .describe(
    'Browser origins the tenant’s own web apps call the integrator API from (CORS at the gateway), ' +
      'as `https://host[:port]`; empty: no cross-origin calls.',
  );

/** The first administrator of a new tenant (otherwise nobody could sign in to administer it). */
export const firstAdminSchema = strictObject({
  login: loginSchema,
  name: displayNameSchema,
  email: emailSchema.optional(),
  password: z.string().max(4096).describe('Checked against the password policy.'),
});

export const createTenantSchema = strictObject({
  id: tenantSlugSchema,
  name: displayNameSchema,
  locale: localeSchema,
  corsOrigins: corsOriginsSchema.optional(),
  admin: firstAdminSchema
    .optional()
    .describe('Optional: creates the tenant’s first user with role `admin` in the same transaction.'),
});
export type CreateTenantInput = z.infer<typeof createTenantSchema>;

export const updateTenantSchema = strictObject({
  name: displayNameSchema.optional(),
  locale: localeSchema.optional(),
  active: z
    .boolean()
    .optional()
    .describe('An inactive tenant’s users cannot sign in, its clients get no tokens.'),
  corsOrigins: corsOriginsSchema.optional(),
}).refine(atLeastOneField, 'nothing to change: name at least one field');
export type UpdateTenantInput = z.infer<typeof updateTenantSchema>;

export class TenantDto {
  @ApiProperty({ example: 'acme' })
  id!: string;

  @ApiProperty({ example: 'ACME Corp.' })
  name!: string;

  @ApiProperty({ enum: LOCALES, description: 'Default UI language of its users.' })
  locale!: 'ru' | 'en';

  @ApiProperty()
  active!: boolean;

  @ApiProperty({
    type: [String],
    example: ['https://crm.acme.example'],
    description: 'Browser origins allowed to call the API (CORS); empty: none.',
  })
  corsOrigins!: string[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class TenantListDto {
  @ApiProperty({ type: [TenantDto] })
  items!: TenantDto[];
}

export class CreatedTenantDto extends TenantDto {
  @ApiPropertyOptional({ type: UserDto, description: 'The first admin, when one was asked for.' })
  admin?: UserDto;
}

export function toTenantDto(tenant: Tenant): TenantDto {
  return {
    id: tenant.id,
    name: tenant.name,
    locale: tenant.locale,
    active: tenant.active,
    corsOrigins: [...tenant.corsOrigins],
    createdAt: tenant.createdAt.toISOString(),
    updatedAt: tenant.updatedAt.toISOString(),
  };
}

export function tenantAuditState(tenant: Tenant): Record<string, unknown> {
  return {
    id: tenant.id,
    name: tenant.name,
    locale: tenant.locale,
    active: tenant.active,
    corsOrigins: [...tenant.corsOrigins],
  };
}
