import { Injectable } from '@nestjs/common';
import { TenantRepositories, type TenantScopedRepository } from '@okc/persistence';
import { ConflictError, NotFoundError, ValidationFailedError } from '@okc/runtime';
import { DataSource, type EntityManager } from 'typeorm';
import { type AdminCaller } from '../admin/admin-http';
import type { AuditType } from '../audit/audit-entry.entity';
import { AuditService } from '../audit/audit.service';
import { isDuplicateKey } from '@okc/persistence';
import { generateClientId, generateClientSecret, hashClientSecret } from './client-secret';
import { clientAuditState, type CreateClientInput, type UpdateClientInput } from './clients.dto';
import { OidcClient } from './oidc-client.entity';

type ClientChanges = Partial<Pick<OidcClient, 'name' | 'redirectUris' | 'postLogoutRedirectUris' | 'active'>>;

/**
 * The columns a PATCH changes. Redirect URIs must fit the kind: an integrator has none, a third-party app
 * keeps at least one (400 VALIDATION_FAILED naming the field otherwise).
 */
export function clientChanges(client: OidcClient, patch: UpdateClientInput): ClientChanges {
  const violations: { field: string; message: string }[] = [];
  if (client.kind === 'integrator') {
    if (patch.redirectUris?.length)
      violations.push({ field: 'redirectUris', message: 'an integrator has no redirect URIs' });
    if (patch.postLogoutRedirectUris?.length) {
      violations.push({ field: 'postLogoutRedirectUris', message: 'an integrator has no redirect URIs' });
    }
  } else if (patch.redirectUris !== undefined && patch.redirectUris.length === 0) {
    violations.push({ field: 'redirectUris', message: 'a third-party app needs a redirect URI' });
  }
  if (violations.length) throw new ValidationFailedError('request body', violations);

  const changes: ClientChanges = {};
  if (patch.name !== undefined && patch.name !== client.name) changes.name = patch.name;
  if (patch.redirectUris !== undefined && !sameList(patch.redirectUris, client.redirectUris)) {
    changes.redirectUris = patch.redirectUris;
  }
  if (
    patch.postLogoutRedirectUris !== undefined &&
    !sameList(patch.postLogoutRedirectUris, client.postLogoutRedirectUris)
  ) {
    changes.postLogoutRedirectUris = patch.postLogoutRedirectUris;
  }
  if (patch.active !== undefined && patch.active !== client.active) changes.active = patch.active;
  return changes;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * OIDC clients of one tenant. A secret is generated here, returned once and stored as a hash. Changes take
 * effect at once: oidc-provider reads a client from the database on each use and caches it by its metadata.
 */
@Injectable()
export class ClientsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenants: TenantRepositories,
    private readonly audit: AuditService,
  ) {}

  private clients(tenantId: string, manager?: EntityManager): TenantScopedRepository<OidcClient> {
    const repo = this.tenants.for(OidcClient, tenantId);
    return manager ? repo.withManager(manager) : repo;
  }

  list(tenantId: string): Promise<OidcClient[]> {
    return this.clients(tenantId).find({ order: { name: 'ASC', id: 'ASC' } });
  }

  async get(tenantId: string, id: string): Promise<OidcClient> {
    const client = await this.clients(tenantId).findOneBy({ id });
    if (!client) throw new NotFoundError('Client');
    return client;
  }

  /** The secret (confidential clients) is in the result only: the row keeps its hash. */
  async create(
    tenantId: string,
    caller: AdminCaller,
    input: CreateClientInput,
  ): Promise<{ client: OidcClient; clientSecret: string | null }> {
    const isPublic = input.kind === 'third-party' && input.public === true;
    const clientSecret = isPublic ? null : generateClientSecret();
    const now = new Date();
    const client = this.clients(tenantId).create({
      id: generateClientId(input.kind),
      kind: input.kind,
      name: input.name,
      secretHash: clientSecret === null ? null : hashClientSecret(clientSecret),
      redirectUris: input.kind === 'integrator' ? [] : (input.redirectUris ?? []),
      postLogoutRedirectUris: input.kind === 'integrator' ? [] : (input.postLogoutRedirectUris ?? []),
      roles: input.kind === 'integrator' ? ['integrator'] : [],
      active: true,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.dataSource.transaction(async (m) => {
        await this.clients(tenantId, m).save(client);
        await this.record(m, tenantId, caller, 'client.created', client.id, null, clientAuditState(client));
      });
    } catch (error) {
      // 96 random bits: a collision is not going to happen, but if it did it must not look like a 500.
      if (isDuplicateKey(error)) throw new ConflictError('CONFLICT', 'Client id collision; retry');
      throw error;
    }
    return { client, clientSecret };
  }

  async update(
    tenantId: string,
    caller: AdminCaller,
    id: string,
    patch: UpdateClientInput,
  ): Promise<OidcClient> {
    return this.dataSource.transaction(async (m) => {
      const before = await this.lock(tenantId, id, m);
      const changes = clientChanges(before, patch);
      if (Object.keys(changes).length === 0) return before;
      const after: OidcClient = { ...before, ...changes, updatedAt: new Date() };
      await this.clients(tenantId, m).update({ id }, { ...changes, updatedAt: after.updatedAt });
      const type = changes.active === false ? 'client.deactivated' : 'client.updated';
      await this.record(m, tenantId, caller, type, id, clientAuditState(before), clientAuditState(after));
      return after;
    });
  }

  /** A new secret replaces the old one at once. A public client has none: 409 `CLIENT_IS_PUBLIC`. */
  async rotateSecret(tenantId: string, caller: AdminCaller, id: string): Promise<string> {
    const clientSecret = generateClientSecret();
    await this.dataSource.transaction(async (m) => {
      const client = await this.lock(tenantId, id, m);
      if (client.secretHash === null) {
        throw new ConflictError('CLIENT_IS_PUBLIC', 'A public client has no secret; it uses PKCE only');
      }
      const updatedAt = new Date();
      await this.clients(tenantId, m).update(
        { id },
        { secretHash: hashClientSecret(clientSecret), updatedAt },
      );
      const state = clientAuditState(client);
      await this.record(m, tenantId, caller, 'client.secret-rotated', id, state, state);
    });
    return clientSecret;
  }

  private async lock(tenantId: string, id: string, m: EntityManager): Promise<OidcClient> {
    const client = await this.clients(tenantId, m).findOne({
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!client) throw new NotFoundError('Client');
    return client;
  }

  private record(
    m: EntityManager,
    tenantId: string,
    caller: AdminCaller,
    type: AuditType,
    clientId: string,
    before: unknown,
    after: unknown,
  ): Promise<void> {
    return this.audit.record(
      {
        tenantId,
        type,
        actor: caller.actor,
        subject: { type: 'client', id: clientId },
        clientId,
        origin: caller.origin,
        before,
        after,
      },
      m,
    );
  }
}
