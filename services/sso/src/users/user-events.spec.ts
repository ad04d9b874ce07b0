import { TOPICS, validate } from '@okc/contracts';
import type { Tenant } from '../tenants/tenant.entity';
import type { User } from './user.entity';
import {
  snapshotChanged,
  tenantEntry,
  userAuditState,
  userCreatedEntry,
  userDeactivatedEntry,
  userUpdatedEntry,
} from './user-events';

const at = new Date('2025-11-27T09:00:00.000Z');
const user: User = {
  id: '0193a9f4-6c1e-7b2a-9d3f-5e8c1a2b3c4d',
  tenantId: 'demo',
  login: 'op1',
  name: 'Оператор 1',
  email: 'op1@example.com',
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$salt$hash',
  roles: ['operator'],
  active: true,
  extension: '101',
  pbxInterface: 'PJSIP/101',
  queues: ['support', 'sales'],
  locale: null,
  passwordChangedAt: at,
  lastLoginAt: null,
  createdAt: at,
  updatedAt: at,
};

describe('identity events', () => {
  it.each([
    ['user.created', userCreatedEntry],
    ['user.updated', userUpdatedEntry],
    ['user.deactivated', userDeactivatedEntry],
  ] as const)('%s is valid on identity.users.v1, keyed by the user id, from sso', (type, build) => {
    const entry = build(user);
    expect(entry.topic).toBe(TOPICS.identityUsers);
    expect(entry.key).toBe(user.id);
    expect(entry.event).toMatchObject({ type, tenantId: 'demo', source: 'sso' });
    const result = validate(TOPICS.identityUsers, entry.event);
    expect(result.ok).toBe(true);
    expect(JSON.stringify(entry.event)).not.toContain('argon2');
  });

  it('user.created carries the snapshot other services keep', () => {
    expect(userCreatedEntry(user).event.data).toEqual({
      userId: user.id,
      login: 'op1',
      name: 'Оператор 1',
      roles: ['operator'],
      active: true,
      extension: '101',
      pbxInterface: 'PJSIP/101',
      queues: ['support', 'sales'],
    });
    expect(userDeactivatedEntry(user).event.data).toEqual({ userId: user.id });
  });

  it.each(['tenant.created', 'tenant.updated'] as const)(
    '%s is keyed by the tenant id and carries its CORS origins',
    (type) => {
      const tenant: Tenant = {
        id: 'acme',
        name: 'ACME',
        locale: 'en',
        active: false,
        corsOrigins: ['https://crm.acme.example'],
        createdAt: at,
        updatedAt: at,
      };
      const entry = tenantEntry(type, tenant);
      expect(entry.key).toBe('acme');
      expect(entry.event).toMatchObject({
        type,
        tenantId: 'acme',
        data: { name: 'ACME', locale: 'en', active: false, corsOrigins: ['https://crm.acme.example'] },
      });
      expect(validate(TOPICS.identityUsers, entry.event).ok).toBe(true);
    },
  );

  it('each event gets its own id', () => {
    expect(userUpdatedEntry(user).event.id).not.toBe(userUpdatedEntry(user).event.id);
  });
});

describe('audit state and changes', () => {
  it('keeps every column but the password hash', () => {
    const state = userAuditState(user);
    expect(state).not.toHaveProperty('passwordHash');
    expect(JSON.stringify(state)).not.toContain('argon2');
    expect(state).toMatchObject({
      login: 'op1',
      email: 'op1@example.com',
      passwordChangedAt: at.toISOString(),
    });
  });

  it('a change of what other services see is a snapshot change; an e-mail or locale change is not', () => {
    expect(snapshotChanged(user, { ...user, roles: ['operator', 'supervisor'] })).toBe(true);
    expect(snapshotChanged(user, { ...user, queues: ['support'] })).toBe(true);
    expect(snapshotChanged(user, { ...user, active: false })).toBe(true);
    expect(snapshotChanged(user, { ...user, email: null, locale: 'en' })).toBe(false);
  });
});
