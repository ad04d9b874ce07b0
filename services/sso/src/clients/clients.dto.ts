import { atLeastOneField, strictObject } from '@okc/runtime';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type Role, ROLES } from '@okc/contracts';
import { z } from 'zod';
import { displayNameSchema } from '../users/users.dto';
import { CLIENT_KINDS, type ClientKind, type OidcClient } from './oidc-client.entity';

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Where an authorization server may send a code: an https URL, or plain http on the loopback host
 * (development, native apps: RFC 8252 §7.3). Never a fragment (OAuth 2.0 §3.1.2), never credentials.
 */
export function isAllowedRedirectUri(value: string): boolean {
  if (value.includes('#')) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return url.hostname.length > 0;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

export const redirectUriSchema = z
  .string()
  .max(2048)
  .refine(isAllowedRedirectUri, 'an https:// URL (or http://localhost, http://127.0.0.1) without a fragment');

const redirectUrisSchema = z
  .array(redirectUriSchema)
  .max(20)
  .transform((uris) => [...new Set(uris)]);

export const createClientSchema = strictObject({
  kind: z
    .enum(CLIENT_KINDS)
    .describe(
      '`third-party`: an application the tenant’s users sign in to (authorization code + PKCE, consent); ' +
        '`integrator`: a machine client (client credentials, role `integrator`).',
    ),
  name: displayNameSchema,
  redirectUris: redirectUrisSchema.optional().describe('Required for `third-party`; none for `integrator`.'),
  postLogoutRedirectUris: redirectUrisSchema.optional(),
  public: z
    .boolean()
    .optional()
    .describe('`third-party` only: a public client (a SPA, a native app) has no secret and relies on PKCE.'),
}).superRefine((body, ctx) => {
  if (body.kind === 'integrator') {
    if (body.redirectUris?.length) {
      ctx.addIssue({ code: 'custom', path: ['redirectUris'], message: 'an integrator has no redirect URIs' });
    }
    if (body.postLogoutRedirectUris?.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['postLogoutRedirectUris'],
        message: 'an integrator has no redirect URIs',
      });
    }
    if (body.public) {
      ctx.addIssue({
        code: 'custom',
        path: ['public'],
        message: 'an integrator authenticates with its secret',
      });
    }
  } else if (!body.redirectUris?.length) {
    ctx.addIssue({
      code: 'custom',
      path: ['redirectUris'],
      message: 'a third-party app needs a redirect URI',
    });
  }
});
export type CreateClientInput = z.infer<typeof createClientSchema>;

export const updateClientSchema = strictObject({
  name: displayNameSchema.optional(),
  redirectUris: redirectUrisSchema.optional(),
  postLogoutRedirectUris: redirectUrisSchema.optional(),
  active: z.boolean().optional().describe('An inactive client gets no tokens.'),
}).refine(atLeastOneField, 'nothing to change: name at least one field');
export type UpdateClientInput = z.infer<typeof updateClientSchema>;

export class ClientDto {
  @ApiProperty({ example: 'int_Hk3v9Q0aZbW2xYr1', description: 'The OAuth `client_id`.' })
  id!: string;

  @ApiProperty({ enum: CLIENT_KINDS })
  kind!: ClientKind;

  @ApiProperty({ example: 'CRM integration' })
  name!: string;

  @ApiProperty({ description: 'No secret: authorization code with PKCE only.' })
  public!: boolean;

  @ApiProperty({ type: [String], example: ['https://app.example.com/callback'] })
  redirectUris!: string[];

  @ApiProperty({ type: [String] })
  postLogoutRedirectUris!: string[];

  @ApiProperty({ enum: ROLES, isArray: true, description: 'Roles its client-credentials tokens carry.' })
  roles!: Role[];

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class ClientListDto {
  @ApiProperty({ type: [ClientDto] })
  items!: ClientDto[];
}

export class CreatedClientDto extends ClientDto {
  @ApiPropertyOptional({
    description: 'Confidential clients only. Shown this once: sso keeps only its hash.',
    example: 'q1Zx…',
  })
  clientSecret?: string;
}

export class ClientSecretDto {
  @ApiProperty({ example: 'int_Hk3v9Q0aZbW2xYr1' })
  clientId!: string;

  @ApiProperty({
    description: 'Shown this once: sso keeps only its hash. The previous secret stops working.',
  })
  clientSecret!: string;
}

/** Never the secret's hash. */
export function toClientDto(client: OidcClient): ClientDto {
  return {
    id: client.id,
    kind: client.kind,
    name: client.name,
    public: client.secretHash === null,
    redirectUris: [...client.redirectUris],
    postLogoutRedirectUris: [...client.postLogoutRedirectUris],
    roles: [...client.roles],
    active: client.active,
    createdAt: client.createdAt.toISOString(),
    updatedAt: client.updatedAt.toISOString(),
  };
}

/** A client as the audit log keeps it: no secret, no hash. */
export function clientAuditState(client: OidcClient): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, ...rest } = toClientDto(client);
  return rest;
}
