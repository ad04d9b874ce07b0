import type { Role } from '@okc/contracts';
import { OutboxWriter } from '@okc/messaging';
import { forTenant } from '@okc/persistence';
import { v7 as uuidv7 } from 'uuid';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditEntry } from '../audit/audit-entry.entity';
import type { AuditType } from '../audit/audit-entry.entity';
import { hashClientSecret, verifyClientSecret } from '../clients/client-secret';
import { OidcClient } from '../clients/oidc-client.entity';
import { type Locale, Tenant } from '../tenants/tenant.entity';
import { hashPassword, verifyPassword } from '../users/password';
import { User } from '../users/user.entity';
import {
  snapshotChanged,
  tenantEntry,
  userAuditState,
  userCreatedEntry,
  userUpdatedEntry,
} from '../users/user-events';
import { defaultPbxInterface } from '../users/users.service';

/**
 * The development data set: a platform tenant with its admin, and two customer tenants (`demo` in Russian,
 * `acme` in English), each with an admin, a supervisor, a manager, five operators on extensions 101–105 and
 * an integrator client. Every password is `demo`: far below the password policy, which is why this exists
 * only outside production (seed-cli.ts refuses NODE_ENV=production).
 */

export const DEV_PASSWORD = 'demo';
export const DEV_QUEUES = ['support', 'sales'] as const;

export interface SeedUser {
  readonly login: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly extension?: string;
  readonly queues?: readonly string[];
}

export interface SeedTenant {
  readonly id: string;
  readonly name: string;
  readonly locale: Locale;
  readonly users: readonly SeedUser[];
  readonly integrator?: { readonly id: string; readonly name: string; readonly secret: string };
}

function customerTenant(
  id: string,
  name: string,
  locale: Locale,
  names: {
    admin: string;
    supervisor: string;
    manager: string;
    operator: (n: number) => string;
    integrator: string;
  },
): SeedTenant {
  const operators = [1, 2, 3, 4, 5].map((n): SeedUser => ({
    login: `op${n}`,
    name: names.operator(n),
    roles: ['operator'],
    extension: String(100 + n),
    queues: DEV_QUEUES,
  }));
  return {
    id,
    name,
    locale,
    users: [
      { login: 'admin', name: names.admin, roles: ['admin'] },
      { login: 'supervisor', name: names.supervisor, roles: ['supervisor'] },
      { login: 'manager', name: names.manager, roles: ['manager'] },
      ...operators,
    ],
    integrator: { id: `${id}-integrator`, name: names.integrator, secret: `${id}-integrator-secret` },
  };
}

/** What the seed makes, in order. `platformTenant` is SSO_PLATFORM_TENANT (`platform`). */
export function developmentDataset(platformTenant = 'platform'): SeedTenant[] {
  return [
    {
      id: platformTenant,
      name: 'Платформа OKC',
      locale: 'ru',
      users: [{ login: 'admin', name: 'Администратор платформы', roles: ['admin'] }],
    },
    customerTenant('demo', 'Демо', 'ru', {
      admin: 'Администратор',
      supervisor: 'Супервизор',
      manager: 'Руководитель',
      operator: (n) => `Оператор ${n}`,
      integrator: 'Демо-интеграция',
    }),
    customerTenant('acme', 'ACME Corp.', 'en', {
      admin: 'Administrator',
      supervisor: 'Supervisor',
      manager: 'Manager',
      operator: (n) => `Operator ${n}`,
      integrator: 'ACME integration',
    }),
  ];
}

export type SeedStatus = 'created' | 'kept' | 'reset';

/** One line of what the seed found or made (the CLI prints them as a table). */
export interface SeedRow {
  readonly tenant: string;
  readonly kind: 'tenant' | 'user' | 'client';
  /** Tenant id, login or client id. */
  readonly id: string;
  readonly name: string;
  /** Roles, extension, client secret: what a developer needs to sign in or call the API. */
  readonly detail: string;
  readonly status: SeedStatus;
}

export interface SeedOptions {
  /** SSO_PLATFORM_TENANT (`platform`). */
  readonly platformTenant?: string;
  /**
   * Also restore what was changed since (names, roles, extensions, active, passwords back to `demo`, client
   * secrets), emitting `user.updated` where other services' view changes. Without it, existing rows are
   * left exactly as they are, so a re-run changes nothing and emits nothing.
   */
  readonly reset?: boolean;
  /** The outbox to write identity events to (a plain OutboxWriter: the relay of a running sso sends them). */
  readonly outbox?: OutboxWriter;
}

const SEED_ACTOR = { type: 'system', id: null, label: 'dev-seed' } as const;
const LOCK_NAME = 'okc_sso_dev_seed';

/**
 * Idempotent: creates what is missing (with its audit entry and identity event, in one transaction per
 * tenant) and reports what already existed. Concurrent runs are serialised with a named lock.
 */
export async function seedDevelopmentData(
  dataSource: DataSource,
  options: SeedOptions = {},
): Promise<SeedRow[]> {
  const outbox = options.outbox ?? new OutboxWriter();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [lock] = (await runner.query('SELECT GET_LOCK(?, 60) AS got', [LOCK_NAME])) as { got: number }[];
    if (Number(lock?.got) !== 1) throw new Error('dev seed: another seed has held the lock for 60 s');
    try {
      const rows: SeedRow[] = [];
      for (const tenant of developmentDataset(options.platformTenant)) {
        // Hashing (argon2id, tens of ms each) happens before the transaction, only for what needs it.
        const existing = await forTenant(dataSource.getRepository(User), tenant.id).find();
        // A user needs a hash when it is missing, or (reset) when its password is no longer `demo`.
        const toHash: SeedUser[] = [];
        for (const user of tenant.users) {
          const found = existing.find((e) => e.login === user.login);
          if (!found || (options.reset && !(await verifyPassword(found.passwordHash, DEV_PASSWORD))))
            toHash.push(user);
        }
        const hashes = new Map<string, string>();
        for (const user of toHash) hashes.set(user.login, await hashPassword(DEV_PASSWORD));
        rows.push(
          ...(await dataSource.transaction((m) =>
            seedTenant(m, tenant, hashes, outbox, options.reset ?? false),
          )),
        );
      }
      return rows;
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]);
    }
  } finally {
    await runner.release();
  }
}

async function seedTenant(
  m: EntityManager,
  seed: SeedTenant,
  hashes: ReadonlyMap<string, string>,
  outbox: OutboxWriter,
  reset: boolean,
): Promise<SeedRow[]> {
  const now = new Date();
  const rows: SeedRow[] = [];
  const record = (type: AuditType, subject: { type: string; id: string }, before: unknown, after: unknown) =>
    m.insert(AuditEntry, {
      tenantId: seed.id,
      occurredAt: now,
      type,
      actorType: SEED_ACTOR.type,
      actorId: SEED_ACTOR.id,
      actorLabel: SEED_ACTOR.label,
      subjectType: subject.type,
      subjectId: subject.id,
      beforeState: before === undefined ? null : JSON.stringify(before),
      afterState: after === undefined ? null : JSON.stringify(after),
    });

  // The tenant.
  const tenants = m.getRepository(Tenant);
  const tenant = await tenants.findOne({ where: { id: seed.id }, lock: { mode: 'pessimistic_write' } });
  const tenantState = { name: seed.name, locale: seed.locale, active: true };
  if (!tenant) {
    const created = tenants.create({
      id: seed.id,
      ...tenantState,
      corsOrigins: [],
      createdAt: now,
      updatedAt: now,
    });
    await tenants.insert(created);
    await record('tenant.created', { type: 'tenant', id: seed.id }, null, { id: seed.id, ...tenantState });
    await outbox.add(m, tenantEntry('tenant.created', created));
    rows.push(tenantRow(seed, 'created'));
  } else if (reset && (tenant.name !== seed.name || tenant.locale !== seed.locale || !tenant.active)) {
    await tenants.update({ id: seed.id }, { ...tenantState, updatedAt: now });
    const before = { id: tenant.id, name: tenant.name, locale: tenant.locale, active: tenant.active };
    await record('tenant.updated', { type: 'tenant', id: seed.id }, before, { id: seed.id, ...tenantState });
    await outbox.add(m, tenantEntry('tenant.updated', { ...tenant, ...tenantState, updatedAt: now }));
    rows.push(tenantRow(seed, 'reset'));
  } else {
    rows.push(tenantRow(seed, 'kept'));
  }

  // Its users.
  const users = forTenant(m.getRepository(User), seed.id);
  for (const seedUser of seed.users) {
    const wanted = {
      name: seedUser.name,
      roles: [...seedUser.roles],
      active: true,
      extension: seedUser.extension ?? null,
      pbxInterface: defaultPbxInterface(seedUser.extension ?? null),
      queues: [...(seedUser.queues ?? [])],
    };
    const user = await users.findOne({
      where: { login: seedUser.login },
      lock: { mode: 'pessimistic_write' },
    });
    const hash = hashes.get(seedUser.login);
    if (!user) {
      if (!hash)
        throw new Error(`dev seed: ${seedUser.login}@${seed.id} appeared while seeding; run it again`);
      const created = users.create({
        id: uuidv7(),
        login: seedUser.login,
        email: null,
        passwordHash: hash,
        locale: null,
        ...wanted,
        passwordChangedAt: now,
        lastLoginAt: null,
        createdAt: now,
        updatedAt: now,
      });
      await users.save(created);
      await record('user.created', { type: 'user', id: created.id }, null, userAuditState(created));
      await outbox.add(m, userCreatedEntry(created));
      rows.push(userRow(seed, seedUser, 'created'));
    } else if (reset && (hash || differs(user, wanted))) {
      const password = hash ? { passwordHash: hash, passwordChangedAt: now } : {};
      const after: User = { ...user, ...wanted, ...password, updatedAt: now };
      await users.update({ id: user.id }, { ...wanted, ...password, updatedAt: now });
      await record(
        'user.updated',
        { type: 'user', id: user.id },
        userAuditState(user),
        userAuditState(after),
      );
      if (snapshotChanged(user, after)) await outbox.add(m, userUpdatedEntry(after));
      rows.push(userRow(seed, seedUser, 'reset'));
    } else {
      rows.push(userRow(seed, seedUser, 'kept'));
    }
  }

  // Its integrator client.
  if (seed.integrator) {
    const { id, name, secret } = seed.integrator;
    const clients = forTenant(m.getRepository(OidcClient), seed.id);
    const client = await clients.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    const wanted = {
      kind: 'integrator' as const,
      name,
      redirectUris: [],
      postLogoutRedirectUris: [],
      roles: ['integrator' as const],
      active: true,
    };
    const detail = `client_credentials, secret ${secret}`;
    const state = { id, ...wanted };
    if (!client) {
      await clients.save(
        clients.create({
          id,
          ...wanted,
          secretHash: hashClientSecret(secret),
          createdAt: now,
          updatedAt: now,
        }),
      );
      await record('client.created', { type: 'client', id }, null, state);
      rows.push({ tenant: seed.id, kind: 'client', id, name, detail, status: 'created' });
    } else if (reset && (!verifyClientSecret(client.secretHash, secret) || differs(client, wanted))) {
      const secretChanged = !verifyClientSecret(client.secretHash, secret);
      await clients.update({ id }, { ...wanted, secretHash: hashClientSecret(secret), updatedAt: now });
      const before = {
        id,
        kind: client.kind,
        name: client.name,
        redirectUris: client.redirectUris,
        postLogoutRedirectUris: client.postLogoutRedirectUris,
        roles: client.roles,
        active: client.active,
      };
      await record(
        secretChanged ? 'client.secret-rotated' : 'client.updated',
        { type: 'client', id },
        before,
        state,
      );
      rows.push({ tenant: seed.id, kind: 'client', id, name, detail, status: 'reset' });
    } else {
      rows.push({ tenant: seed.id, kind: 'client', id, name, detail, status: 'kept' });
    }
  }
  return rows;
}

/** Whether any of `wanted`'s fields differs in `row` (JSON comparison: lists included). */
function differs(row: object, wanted: object): boolean {
  const current = row as Record<string, unknown>;
  return Object.entries(wanted).some(
    ([key, value]) => JSON.stringify(current[key]) !== JSON.stringify(value),
  );
}

function tenantRow(seed: SeedTenant, status: SeedStatus): SeedRow {
  return {
    tenant: seed.id,
    kind: 'tenant',
    id: seed.id,
    name: seed.name,
    detail: `locale ${seed.locale}`,
    status,
  };
}

function userRow(seed: SeedTenant, user: SeedUser, status: SeedStatus): SeedRow {
  const detail = [user.roles.join(','), user.extension ? `ext ${user.extension}` : '']
    .filter(Boolean)
    .join(', ');
  return { tenant: seed.id, kind: 'user', id: `${user.login}@${seed.id}`, name: user.name, detail, status };
}
