import { createEvent, type EventOf, TOPICS } from '@okc/contracts';
import type { OutboxEntry } from '@okc/messaging';
import { SERVICE_NAME } from '../config';
import type { Tenant } from '../tenants/tenant.entity';
import type { User } from './user.entity';
import { toUserDto } from './users.dto';

/**
 * The identity events sso publishes on `identity.users.v1` (key: the user id; the tenant id for
 * `tenant.created`), and the state of a user as the audit log keeps it. Always written to the outbox in
 * the transaction of the change (see users.service.ts, tenants.service.ts, seed/dev-seed.ts).
 */

type UserSnapshot = EventOf<typeof TOPICS.identityUsers, 'user.created'>['data'];

/** What other services know of a user (libs/contracts identity.ts). */
export function userSnapshot(user: User): UserSnapshot {
  return {
    userId: user.id,
    login: user.login,
    name: user.name,
    roles: [...user.roles],
    active: user.active,
    extension: user.extension,
    pbxInterface: user.pbxInterface,
    queues: [...user.queues],
  };
}

/**
 * A user as the audit log's before/after keeps it: what the admin API shows (never the password hash),
 * without the bookkeeping that changes on its own (sign-in time, row timestamps).
 */
export function userAuditState(user: User): Record<string, unknown> {
  const {
    tenantId: _tenant,
    lastLoginAt: _login,
    createdAt: _created,
    updatedAt: _updated,
    ...state
  } = toUserDto(user);
  return state;
}

const topic = TOPICS.identityUsers;

function userSnapshotEntry(type: 'user.created' | 'user.updated', user: User): OutboxEntry {
  const event = createEvent(topic, {
    type,
    tenantId: user.tenantId,
    source: SERVICE_NAME,
    data: userSnapshot(user),
  });
  return { topic, key: user.id, event };
}

export const userCreatedEntry = (user: User): OutboxEntry => userSnapshotEntry('user.created', user);

/** Any change other services care about, including re-activation (`active: true`). */
export const userUpdatedEntry = (user: User): OutboxEntry => userSnapshotEntry('user.updated', user);

export function userDeactivatedEntry(user: User): OutboxEntry {
  const event = createEvent(topic, {
    type: 'user.deactivated',
    tenantId: user.tenantId,
    source: SERVICE_NAME,
    data: { userId: user.id },
  });
  return { topic, key: user.id, event };
}

/** `tenant.created` or `tenant.updated` with the tenant as other services see it (the gateway's CORS). */
export function tenantEntry(type: 'tenant.created' | 'tenant.updated', tenant: Tenant): OutboxEntry {
  const event = createEvent(topic, {
    type,
    tenantId: tenant.id,
    source: SERVICE_NAME,
    data: {
      name: tenant.name,
      locale: tenant.locale,
      active: tenant.active,
      corsOrigins: [...tenant.corsOrigins],
    },
  });
  return { topic, key: tenant.id, event };
}

/** Whether other services' view of the user changed (so a `user.updated` is due). */
export function snapshotChanged(before: User, after: User): boolean {
  return JSON.stringify(userSnapshot(before)) !== JSON.stringify(userSnapshot(after));
}
