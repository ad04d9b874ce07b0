import type { OutboxEntry, OutboxWriter } from '@okc/messaging';
import type { TenantRepositories } from '@okc/persistence';
import type { DataSource } from 'typeorm';
import type { AdminCaller } from '../admin/admin-http';
import type { AuditRecord, AuditService } from '../audit/audit.service';
import type { SignInService } from '../login/sign-in.service';
import type { User } from './user.entity';
import {
  accountKeyOfUser,
  likeEscape,
  PasswordPolicyError,
  resolvePbxInterface,
  userChanges,
  UsersService,
} from './users.service';

const at = new Date('2025-11-27T09:00:00.000Z');
const ADMIN_ID = '0193a9f4-0000-7000-8000-000000000001';
const OP_ID = '0193a9f4-0000-7000-8000-000000000002';

const makeUser = (over: Partial<User> = {}): User => ({
  id: OP_ID,
  tenantId: 'demo',
  login: 'op1',
  name: 'Оператор 1',
  email: null,
  passwordHash: '$argon2id$old',
  roles: ['operator'],
  active: true,
  extension: '101',
  pbxInterface: 'PJSIP/101',
  queues: ['support'],
  locale: null,
  passwordChangedAt: at,
  lastLoginAt: null,
  createdAt: at,
  updatedAt: at,
  ...over,
});

describe('resolvePbxInterface', () => {
  const none = { extension: null, pbxInterface: null };
  it('defaults to PJSIP/<extension> for a new extension', () => {
    expect(resolvePbxInterface(none, { extension: '101' })).toBe('PJSIP/101');
  });
  it('keeps an explicit interface', () => {
    expect(resolvePbxInterface(none, { extension: '101', pbxInterface: 'SIP/101' })).toBe('SIP/101');
    expect(resolvePbxInterface(none, { pbxInterface: 'SIP/7' })).toBe('SIP/7');
  });
  it('moves a default interface with its extension, and clears it with the extension', () => {
    const cur = { extension: '101', pbxInterface: 'PJSIP/101' };
    expect(resolvePbxInterface(cur, { extension: '102' })).toBe('PJSIP/102');
    expect(resolvePbxInterface(cur, { extension: null })).toBeNull();
    expect(resolvePbxInterface(cur, {})).toBe('PJSIP/101');
  });
  it('keeps a custom interface when only the extension changes', () => {
    expect(
      resolvePbxInterface({ extension: '101', pbxInterface: 'SIP/trunk-101' }, { extension: '102' }),
    ).toBe('SIP/trunk-101');
  });
  it('no extension and no interface: none', () => {
    expect(resolvePbxInterface(none, { extension: null })).toBeNull();
  });
});

describe('userChanges', () => {
  it('lists only what differs', () => {
    const user = makeUser();
    expect(userChanges(user, { name: 'Оператор 1', queues: ['support'] })).toEqual({});
    expect(userChanges(user, { name: 'Новое имя', email: null })).toEqual({ name: 'Новое имя' });
    expect(userChanges(user, { extension: '105' })).toEqual({ extension: '105', pbxInterface: 'PJSIP/105' });
    expect(userChanges(user, { email: 'a@b.co', locale: 'en', roles: ['operator', 'supervisor'] })).toEqual({
      email: 'a@b.co',
      locale: 'en',
      roles: ['operator', 'supervisor'],
    });
  });
});

describe('helpers', () => {
  it('escapes LIKE wildcards and the escape character', () => {
    expect(likeEscape('50%_off\\')).toBe('50\\%\\_off\\\\');
    expect(likeEscape('плain')).toBe('плain');
  });
  it('the brute-force key is login@tenant', () => {
    expect(accountKeyOfUser({ login: 'op1', tenantId: 'demo' })).toBe('op1@demo');
  });
});

/** UsersService over in-memory fakes of the data source, the tenant repository, audit, outbox and sign-in. */
function harness(rows: User[]) {
  const audits: AuditRecord[] = [];
  /** Whether each audit entry was written with the transaction's manager. */
  const auditInTx: boolean[] = [];
  const copy = (row: User | undefined): User | null => (row ? { ...row } : null);
  const events: OutboxEntry[] = [];
  const unlocked: string[] = [];
  const manager = { tag: 'tx' };
  const repo = {
    withManager: () => repo,
    create: (values: Partial<User>) => ({ ...values, tenantId: 'demo' }) as User,
    // Copies, as a database hands out: a later update does not change what was read before it.
    findOne: ({ where }: { where: { id: string } }) =>
      Promise.resolve(copy(rows.find((r) => r.id === where.id))),
    findOneBy: ({ id }: { id: string }) => Promise.resolve(copy(rows.find((r) => r.id === id))),
    count: ({ login }: { login: string }) => Promise.resolve(rows.filter((r) => r.login === login).length),
    save: (user: User) => {
      rows.push(user);
      return Promise.resolve(user);
    },
    update: ({ id }: { id: string }, patch: Partial<User>) => {
      const row = rows.find((r) => r.id === id);
      if (row) Object.assign(row, patch);
      return Promise.resolve(row ? 1 : 0);
    },
  };
  const dataSource = {
    transaction: <T>(work: (m: unknown) => Promise<T>) => work(manager),
    getRepository: () => ({ findOneBy: () => Promise.resolve({ id: 'demo', locale: 'en' }) }),
  } as unknown as DataSource;
  const tenants = { for: () => repo } as unknown as TenantRepositories;
  const audit = {
    record: (entry: AuditRecord, m: unknown) => {
      auditInTx.push(m === manager);
      audits.push(entry);
      return Promise.resolve();
    },
  } as unknown as AuditService;
  const outbox = {
    add: (m: unknown, ...entries: OutboxEntry[]) => {
      expect(m).toBe(manager);
      events.push(...entries);
      return Promise.resolve();
    },
  } as unknown as OutboxWriter;
  const signIn = {
    protection: { unlock: (key: string) => Promise.resolve(void unlocked.push(key)) },
  } as unknown as SignInService;
  const service = new UsersService(dataSource, tenants, audit, outbox, signIn);
  return { service, rows, audits, auditInTx, events, unlocked };
}

const caller: AdminCaller = {
  subject: ADMIN_ID,
  actor: { type: 'user', id: ADMIN_ID, label: 'admin@demo' },
  origin: { ip: '10.0.0.1', userAgent: 'jest', requestId: 'r-1' },
};

describe('UsersService', () => {
  const admin = () =>
    makeUser({
      id: ADMIN_ID,
      login: 'admin',
      name: 'Администратор',
      roles: ['admin'],
      extension: null,
      pbxInterface: null,
      queues: [],
    });

  it('creates a user with a hashed password, an audit entry without the hash and user.created', async () => {
    const h = harness([admin()]);
    const user = await h.service.create('demo', caller, {
      login: 'op2',
      name: 'Оператор 2',
      password: 'correct horse battery staple',
      roles: ['operator'],
      extension: '102',
    });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.pbxInterface).toBe('PJSIP/102');
    expect(h.audits).toEqual([
      expect.objectContaining({
        type: 'user.created',
        actor: caller.actor,
        before: null,
        subject: { type: 'user', id: user.id },
      }),
    ]);
    expect(h.auditInTx).toEqual([true]); // in the transaction of the change
    expect(JSON.stringify(h.audits)).not.toContain('argon2');
    expect(h.events.map((e) => [e.event.type, e.key])).toEqual([['user.created', user.id]]);
  });

  it('refuses a weak password with VALIDATION_FAILED on password, the policy codes, and writes nothing', async () => {
    const h = harness([]);
    const attempt = h.service.create('demo', caller, {
      login: 'op2',
      name: 'Op Two',
      password: 'op2',
      roles: ['operator'],
    });
    await expect(attempt).rejects.toBeInstanceOf(PasswordPolicyError);
    const error = (await attempt.catch((e: unknown) => e)) as PasswordPolicyError;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.status).toBe(400);
    expect(error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'password', code: 'too-short' }),
        expect.objectContaining({ field: 'password', code: 'contains-login' }),
      ]),
    );
    // Messages in the tenant's language (the fake tenant is English).
    expect((error.details as { message: string }[])[0]?.message).toMatch(/^The password/);
    expect(h.rows).toHaveLength(0);
    expect(h.audits).toHaveLength(0);
    expect(h.events).toHaveLength(0);
  });

  it('answers 409 CONFLICT for a login taken in the tenant', async () => {
    const h = harness([makeUser()]);
    await expect(
      h.service.create('demo', caller, {
        login: 'op1',
        name: 'X',
        password: 'correct horse battery staple',
        roles: ['operator'],
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT', status: 409 });
    expect(h.events).toHaveLength(0);
  });

  it('an admin cannot remove their own admin role (409), but can change other fields of themself', async () => {
    const h = harness([admin()]);
    await expect(h.service.update('demo', caller, ADMIN_ID, { roles: ['supervisor'] })).rejects.toMatchObject(
      {
        code: 'CANNOT_REMOVE_OWN_ADMIN_ROLE',
        status: 409,
      },
    );
    const updated = await h.service.update('demo', caller, ADMIN_ID, { roles: ['admin', 'supervisor'] });
    expect(updated.roles).toEqual(['admin', 'supervisor']);
  });

  it('an admin can remove the admin role of another admin', async () => {
    const other = makeUser({ roles: ['admin'] });
    const h = harness([admin(), other]);
    await expect(h.service.update('demo', caller, OP_ID, { roles: ['operator'] })).resolves.toMatchObject({
      roles: ['operator'],
    });
  });

  it('audits every change with before and after, and emits user.updated only when other services see a change', async () => {
    const h = harness([makeUser()]);
    await h.service.update('demo', caller, OP_ID, { email: 'op1@example.com' });
    expect(h.audits).toEqual([
      expect.objectContaining({
        type: 'user.updated',
        before: expect.objectContaining({ email: null }),
        after: expect.objectContaining({ email: 'op1@example.com' }),
      }),
    ]);
    expect(h.events).toHaveLength(0);
    await h.service.update('demo', caller, OP_ID, { queues: ['support', 'sales'] });
    expect(h.events.map((e) => e.event.type)).toEqual(['user.updated']);
    expect(h.events[0]?.event.data).toMatchObject({ queues: ['support', 'sales'] });
  });

  it('a PATCH that changes nothing records and emits nothing', async () => {
    const h = harness([makeUser()]);
    await h.service.update('demo', caller, OP_ID, { name: 'Оператор 1' });
    expect(h.audits).toHaveLength(0);
    expect(h.events).toHaveLength(0);
  });

  it('another tenant’s (or an unknown) id is 404 NOT_FOUND', async () => {
    const h = harness([]);
    await expect(h.service.get('demo', OP_ID)).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    await expect(h.service.update('demo', caller, OP_ID, { name: 'x' })).rejects.toMatchObject({
      status: 404,
    });
    await expect(h.service.setActive('demo', caller, OP_ID, false)).rejects.toMatchObject({ status: 404 });
    await expect(h.service.unlock('demo', caller, OP_ID)).rejects.toMatchObject({ status: 404 });
  });

  it('an admin cannot deactivate themself (409)', async () => {
    const h = harness([admin()]);
    await expect(h.service.setActive('demo', caller, ADMIN_ID, false)).rejects.toMatchObject({
      code: 'CANNOT_DEACTIVATE_SELF',
      status: 409,
    });
    expect(h.rows[0]?.active).toBe(true);
  });

  it('deactivates with user.deactivated, re-activates with user.updated, and is idempotent', async () => {
    const h = harness([makeUser()]);
    await h.service.setActive('demo', caller, OP_ID, false);
    await h.service.setActive('demo', caller, OP_ID, false);
    await h.service.setActive('demo', caller, OP_ID, true);
    expect(h.audits.map((a) => a.type)).toEqual(['user.deactivated', 'user.activated']);
    expect(h.auditInTx).toEqual([true, true]);
    expect(h.events.map((e) => e.event.type)).toEqual(['user.deactivated', 'user.updated']);
    expect(h.events[1]?.event.data).toMatchObject({ active: true });
  });

  it('resets a password under the policy, audited without the hash, with no event', async () => {
    const h = harness([makeUser()]);
    await expect(h.service.resetPassword('demo', caller, OP_ID, 'short')).rejects.toBeInstanceOf(
      PasswordPolicyError,
    );
    await h.service.resetPassword('demo', caller, OP_ID, 'a much longer passphrase');
    expect(h.rows[0]?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(h.rows[0]?.passwordChangedAt.getTime()).toBeGreaterThan(at.getTime());
    expect(h.audits.map((a) => a.type)).toEqual(['user.password-reset']);
    expect(JSON.stringify(h.audits)).not.toContain('argon2');
    expect(h.events).toHaveLength(0);
  });

  it('unlocks login@tenant and audits it', async () => {
    const h = harness([makeUser()]);
    await h.service.unlock('demo', caller, OP_ID);
    expect(h.unlocked).toEqual(['op1@demo']);
    expect(h.audits).toEqual([
      expect.objectContaining({ type: 'user.unlocked', subject: { type: 'user', id: OP_ID } }),
    ]);
  });
});
