import { Injectable } from '@nestjs/common';
import { OutboxWriter } from '@okc/messaging';
import { ConflictError, InjectConfig, NotFoundError } from '@okc/runtime';
import { DataSource } from 'typeorm';
import { type AdminCaller } from '../admin/admin-http';
import { AuditService } from '../audit/audit.service';
import type { SsoConfig } from '../config';
import { tenantEntry } from '../users/user-events';
import type { User } from '../users/user.entity';
import { isDuplicateKey } from '@okc/persistence';
import { UsersService } from '../users/users.service';
import { Tenant } from './tenant.entity';
import { type CreateTenantInput, tenantAuditState, type UpdateTenantInput } from './tenants.dto';

type TenantChanges = Partial<Pick<Tenant, 'name' | 'locale' | 'active' | 'corsOrigins'>>;

/** The fields of a PATCH that differ from the tenant (empty: nothing to do). */
export function tenantChanges(tenant: Tenant, patch: UpdateTenantInput): TenantChanges {
  const changes: TenantChanges = {};
  if (patch.name !== undefined && patch.name !== tenant.name) changes.name = patch.name;
  if (patch.locale !== undefined && patch.locale !== tenant.locale) changes.locale = patch.locale;
  if (patch.active !== undefined && patch.active !== tenant.active) changes.active = patch.active;
  if (
    patch.corsOrigins !== undefined &&
    JSON.stringify(patch.corsOrigins) !== JSON.stringify(tenant.corsOrigins)
  ) {
    changes.corsOrigins = patch.corsOrigins;
  }
  return changes;
}

const tenantExists = (id: string) =>
  new ConflictError('CONFLICT', `A tenant "${id}" already exists`, { field: 'id' });

/**
 * Tenants, for platform admins only (the controller's guard). The `tenants` table is not tenant-owned (a
 * tenant is the scope itself), so it is read directly. Tenant changes are audited in the platform admin's
 * own tenant, where they are made; a new tenant's first admin is audited in the new tenant.
 */
@Injectable()
export class TenantsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxWriter,
    private readonly users: UsersService,
    @InjectConfig() private readonly config: SsoConfig,
  ) {}

  list(): Promise<Tenant[]> {
    return this.dataSource.getRepository(Tenant).find({ order: { id: 'ASC' } });
  }

  async get(id: string): Promise<Tenant> {
    const tenant = await this.dataSource.getRepository(Tenant).findOneBy({ id });
    if (!tenant) throw new NotFoundError('Tenant');
    return tenant;
  }

  /** Emits `tenant.created` (key: the tenant id), and `user.created` for the first admin when asked for. */
  async create(
    callerTenantId: string,
    caller: AdminCaller,
    input: CreateTenantInput,
  ): Promise<{ tenant: Tenant; admin: User | null }> {
    const now = new Date();
    const tenant = this.dataSource.getRepository(Tenant).create({
      id: input.id,
      name: input.name,
      locale: input.locale,
      active: true,
      corsOrigins: input.corsOrigins ?? [],
      createdAt: now,
      updatedAt: now,
    });
    const admin = input.admin
      ? await this.users.prepare(tenant.id, { ...input.admin, roles: ['admin'] }, tenant.locale)
      : null;
    try {
      await this.dataSource.transaction(async (m) => {
        if (await m.getRepository(Tenant).existsBy({ id: tenant.id })) throw tenantExists(tenant.id);
        await m.insert(Tenant, tenant);
        await this.audit.record(
          {
            tenantId: callerTenantId,
            type: 'tenant.created',
            actor: caller.actor,
            subject: { type: 'tenant', id: tenant.id },
            origin: caller.origin,
            before: null,
            after: tenantAuditState(tenant),
          },
          m,
        );
        await this.outbox.add(m, tenantEntry('tenant.created', tenant));
        if (admin) await this.users.insert(m, admin, caller);
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw tenantExists(tenant.id);
      throw error;
    }
    return { tenant, admin };
  }

  async update(
    callerTenantId: string,
    caller: AdminCaller,
    id: string,
    patch: UpdateTenantInput,
  ): Promise<Tenant> {
    return this.dataSource.transaction(async (m) => {
      const before = await m
        .getRepository(Tenant)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!before) throw new NotFoundError('Tenant');
      const changes = tenantChanges(before, patch);
      if (changes.active === false && id === this.config.SSO_PLATFORM_TENANT) {
        throw new ConflictError(
          'CANNOT_DEACTIVATE_PLATFORM_TENANT',
          'The platform tenant cannot be deactivated: its admins manage every tenant',
        );
      }
      if (Object.keys(changes).length === 0) return before;
      const after: Tenant = { ...before, ...changes, updatedAt: new Date() };
      await m.update(Tenant, { id }, { ...changes, updatedAt: after.updatedAt });
      await this.audit.record(
        {
          tenantId: callerTenantId,
          type: 'tenant.updated',
          actor: caller.actor,
          subject: { type: 'tenant', id },
          origin: caller.origin,
          before: tenantAuditState(before),
          after: tenantAuditState(after),
        },
        m,
      );
      await this.outbox.add(m, tenantEntry('tenant.updated', after));
      return after;
    });
  }
}
