import { randomBytes } from 'node:crypto';
import type { Role } from '@okc/contracts';
import { v7 as uuidv7 } from 'uuid';
import type { DataSource } from 'typeorm';
import { hashClientSecret } from '../../src/clients/client-secret';
import { OidcClient } from '../../src/clients/oidc-client.entity';
import { Tenant } from '../../src/tenants/tenant.entity';
import { hashPassword } from '../../src/users/password';
import { User } from '../../src/users/user.entity';

/** Rows written straight to sso's database, so a test does not depend on the admin API it may be testing. */
export async function addTenant(db: DataSource, id: string, active = true): Promise<Tenant> {
  const now = new Date();
  const tenant = {
    id,
    name: `Tenant ${id}`,
    locale: 'ru' as const,
    active,
    corsOrigins: [],
    createdAt: now,
    updatedAt: now,
  };
  await db.getRepository(Tenant).insert(tenant);
  return tenant;
}

export interface UserFixture {
  readonly id: string;
  readonly tenantId: string;
  readonly login: string;
  readonly password: string;
}

export async function addUser(
  db: DataSource,
  tenantId: string,
  login: string,
  roles: Role[],
  options: { password?: string; active?: boolean } = {},
): Promise<UserFixture> {
  const now = new Date();
  const password = options.password ?? `pw-${randomBytes(6).toString('hex')}`;
  const id = uuidv7();
  await db.getRepository(User).insert({
    id,
    tenantId,
    login,
    name: `User ${login}`,
    email: `${login}@${tenantId}.example`,
    passwordHash: await hashPassword(password),
    roles,
    active: options.active ?? true,
    extension: null,
    pbxInterface: null,
    queues: [],
    locale: null,
    passwordChangedAt: now,
    lastLoginAt: null,
    createdAt: now,
    updatedAt: now,
  });
  return { id, tenantId, login, password };
}

export interface ClientFixture {
  readonly id: string;
  readonly secret: string | null;
}

export async function addClient(
  db: DataSource,
  tenantId: string,
  kind: 'third-party' | 'integrator',
  options: { redirectUris?: string[]; postLogoutRedirectUris?: string[]; public?: boolean } = {},
): Promise<ClientFixture> {
  const now = new Date();
  const id = `${kind === 'integrator' ? 'int' : 'app'}_${randomBytes(8).toString('hex')}`;
  const secret = options.public ? null : randomBytes(32).toString('base64url');
  await db.getRepository(OidcClient).insert({
    id,
    tenantId,
    kind,
    name: `${kind} ${id}`,
    secretHash: secret ? hashClientSecret(secret) : null,
    redirectUris: options.redirectUris ?? [],
    postLogoutRedirectUris: options.postLogoutRedirectUris ?? [],
    roles: kind === 'integrator' ? ['integrator'] : [],
    active: true,
    createdAt: now,
    updatedAt: now,
  });
  return { id, secret };
}
