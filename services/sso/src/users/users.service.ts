import { isDuplicateKey } from '@okc/persistence';
import { HttpStatus, Injectable } from '@nestjs/common';
import { OutboxWriter } from '@okc/messaging';
import { TenantRepositories, type TenantScopedRepository } from '@okc/persistence';
import { ConflictError, DomainError, NotFoundError } from '@okc/runtime';
import { v7 as uuidv7 } from 'uuid';
import { DataSource, type EntityManager } from 'typeorm';
import { type AdminCaller } from '../admin/admin-http';
import { AuditService } from '../audit/audit.service';
import { SignInService } from '../login/sign-in.service';
import { type Locale, Tenant } from '../tenants/tenant.entity';
import { checkPasswordPolicy, hashPassword, type PasswordPolicyViolation } from './password';
import { User } from './user.entity';
import {
  snapshotChanged,
  userAuditState,
  userCreatedEntry,
  userDeactivatedEntry,
  userUpdatedEntry,
} from './user-events';
import type { CreateUserInput, ListUsersQuery, UpdateUserInput } from './users.dto';

/** What creating a user needs (the admin API's body; also a new tenant's first admin). */
export type NewUserInput = Pick<CreateUserInput, 'login' | 'name' | 'password' | 'roles'> &
  Partial<Pick<CreateUserInput, 'email' | 'extension' | 'pbxInterface' | 'queues' | 'locale'>>;

/** 400 `VALIDATION_FAILED` on `password`, one detail per broken rule with its policy code. */
export class PasswordPolicyError extends DomainError {
  constructor(readonly violations: readonly PasswordPolicyViolation[]) {
    super('VALIDATION_FAILED', 'Invalid request body: password', HttpStatus.BAD_REQUEST, {
      details: violations.map((v) => ({ field: 'password', code: v.code, message: v.message })),
    });
  }
}

/** The interface an extension gets unless one is given: `PJSIP/<extension>`. */
export const defaultPbxInterface = (extension: string | null): string | null =>
  extension ? `PJSIP/${extension}` : null;

/**
 * The PBX interface after a change: an explicit one wins; otherwise an interface that followed the old
 * extension (the default, or none) follows the new one, and a custom interface is kept.
 */
export function resolvePbxInterface(
  current: { readonly extension: string | null; readonly pbxInterface: string | null },
  change: { readonly extension?: string | null; readonly pbxInterface?: string | null },
): string | null {
  if (change.pbxInterface !== undefined) return change.pbxInterface;
  if (change.extension === undefined || change.extension === current.extension) return current.pbxInterface;
  const followsExtension =
    current.pbxInterface === null || current.pbxInterface === defaultPbxInterface(current.extension);
  return followsExtension ? defaultPbxInterface(change.extension) : current.pbxInterface;
}

type UserChanges = Partial<
  Pick<User, 'name' | 'email' | 'roles' | 'extension' | 'pbxInterface' | 'queues' | 'locale'>
>;

/** The columns a PATCH actually changes (empty when it changes nothing). */
export function userChanges(user: User, patch: UpdateUserInput): UserChanges {
  const next: Required<UserChanges> = {
    name: patch.name ?? user.name,
    email: patch.email === undefined ? user.email : patch.email,
    roles: patch.roles ?? user.roles,
    extension: patch.extension === undefined ? user.extension : patch.extension,
    pbxInterface: resolvePbxInterface(user, patch),
    queues: patch.queues ?? user.queues,
    locale: patch.locale === undefined ? user.locale : patch.locale,
  };
  const changed = (Object.keys(next) as (keyof UserChanges)[]).filter(
    (key) => JSON.stringify(next[key]) !== JSON.stringify(user[key]),
  );
  return Object.fromEntries(changed.map((key) => [key, next[key]]));
}

/** `LIKE` pattern text matching `value` literally (MySQL and MariaDB escape with a backslash). */
export const likeEscape = (value: string): string => value.replace(/[\\%_]/g, '\\$&');

/** The brute-force key of a user: what they type at sign-in, `login@tenant`. */
export const accountKeyOfUser = (user: Pick<User, 'login' | 'tenantId'>): string =>
  `${user.login}@${user.tenantId}`;

const loginTaken = (login: string) =>
  new ConflictError('CONFLICT', `The login "${login}" is already taken in this tenant`, { field: 'login' });

/**
 * The users of one tenant, for its admins. Every change is one transaction: the row, its audit entry
 * (before/after, never the password hash) and its `identity.users.v1` event in the outbox.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenants: TenantRepositories,
    private readonly audit: AuditService,
    private readonly outbox: OutboxWriter,
    private readonly signIn: SignInService,
  ) {}

  private users(tenantId: string, manager?: EntityManager): TenantScopedRepository<User> {
    const repo = this.tenants.for(User, tenantId);
    return manager ? repo.withManager(manager) : repo;
  }

  async list(tenantId: string, q: ListUsersQuery): Promise<{ items: User[]; total: number }> {
    const qb = this.users(tenantId).createQueryBuilder('u');
    if (q.search) {
      qb.andWhere('(u.login LIKE :search OR u.name LIKE :search OR u.email LIKE :search)', {
        search: `%${likeEscape(q.search)}%`,
      });
    }
    // roles and queues are JSON lists in text columns: `"name"` with its quotes matches one whole element.
    if (q.role) qb.andWhere('u.roles LIKE :role', { role: `%${likeEscape(JSON.stringify(q.role))}%` });
    if (q.queue) {
      qb.andWhere('u.queues COLLATE utf8mb4_bin LIKE :queue', {
        queue: `%${likeEscape(JSON.stringify(q.queue))}%`,
      });
    }
    if (q.active !== undefined) qb.andWhere('u.active = :active', { active: q.active });
    const [items, total] = await qb
      .orderBy('u.login', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .skip(q.offset)
      .take(q.limit)
      .getManyAndCount();
    return { items, total };
  }

  async get(tenantId: string, id: string): Promise<User> {
    const user = await this.users(tenantId).findOneBy({ id });
    if (!user) throw new NotFoundError('User');
    return user;
  }

  async create(tenantId: string, caller: AdminCaller, input: CreateUserInput): Promise<User> {
    const user = await this.prepare(tenantId, input, await this.localeOf(tenantId));
    try {
      await this.dataSource.transaction((m) => this.insert(m, user, caller));
    } catch (error) {
      // Two admins creating the same login at once: the unique key decides.
      if (isDuplicateKey(error)) throw loginTaken(user.login);
      throw error;
    }
    return user;
  }

  /**
   * A new user's row, not saved yet: the password policy checked (messages in `locale`) and the password
   * hashed, outside any transaction (argon2id takes tens of milliseconds).
   */
  async prepare(tenantId: string, input: NewUserInput, locale: Locale): Promise<User> {
    this.assertPasswordPolicy(input.password, input.login, tenantId, input.name, locale);
    const passwordHash = await hashPassword(input.password);
    const now = new Date();
    const extension = input.extension ?? null;
    return this.users(tenantId).create({
      id: uuidv7(),
      login: input.login,
      name: input.name,
      email: input.email ?? null,
      passwordHash,
      roles: input.roles,
      active: true,
      extension,
      pbxInterface: resolvePbxInterface(
        { extension: null, pbxInterface: null },
        { extension, ...(input.pbxInterface === undefined ? {} : { pbxInterface: input.pbxInterface }) },
      ),
      queues: input.queues ?? [],
      locale: input.locale ?? null,
      passwordChangedAt: now,
      lastLoginAt: null,
      createdAt: now,
      updatedAt: now,
    });
  }

  /** Inserts a prepared user in the caller's transaction, with its audit entry and `user.created`. */
  async insert(m: EntityManager, user: User, caller: AdminCaller): Promise<void> {
    const users = this.users(user.tenantId, m);
    if (await users.count({ login: user.login })) throw loginTaken(user.login);
    await users.save(user);
    await this.audit.record(
      {
        tenantId: user.tenantId,
        type: 'user.created',
        actor: caller.actor,
        subject: { type: 'user', id: user.id },
        origin: caller.origin,
        before: null,
        after: userAuditState(user),
      },
      m,
    );
    await this.outbox.add(m, userCreatedEntry(user));
  }

  async update(tenantId: string, caller: AdminCaller, id: string, patch: UpdateUserInput): Promise<User> {
    return this.dataSource.transaction(async (m) => {
      const before = await this.lock(tenantId, id, m);
      if (
        id === caller.subject &&
        patch.roles !== undefined &&
        before.roles.includes('admin') &&
        !patch.roles.includes('admin')
      ) {
        throw new ConflictError(
          'CANNOT_REMOVE_OWN_ADMIN_ROLE',
          'An administrator cannot remove their own admin role',
        );
      }
      const changes = userChanges(before, patch);
      if (Object.keys(changes).length === 0) return before;
      const after: User = { ...before, ...changes, updatedAt: new Date() };
      await this.users(tenantId, m).update({ id }, { ...changes, updatedAt: after.updatedAt });
      await this.audit.record(
        {
          tenantId,
          type: 'user.updated',
          actor: caller.actor,
          subject: { type: 'user', id },
          origin: caller.origin,
          before: userAuditState(before),
          after: userAuditState(after),
        },
        m,
      );
      if (snapshotChanged(before, after)) await this.outbox.add(m, userUpdatedEntry(after));
      return after;
    });
  }

  /** Idempotent: (de)activating a user already in that state changes, records and emits nothing. */
  async setActive(tenantId: string, caller: AdminCaller, id: string, active: boolean): Promise<User> {
    return this.dataSource.transaction(async (m) => {
      const before = await this.lock(tenantId, id, m);
      if (!active && id === caller.subject) {
        throw new ConflictError('CANNOT_DEACTIVATE_SELF', 'An administrator cannot deactivate themselves');
      }
      if (before.active === active) return before;
      const after: User = { ...before, active, updatedAt: new Date() };
      await this.users(tenantId, m).update({ id }, { active, updatedAt: after.updatedAt });
      await this.audit.record(
        {
          tenantId,
          type: active ? 'user.activated' : 'user.deactivated',
          actor: caller.actor,
          subject: { type: 'user', id },
          origin: caller.origin,
          before: userAuditState(before),
          after: userAuditState(after),
        },
        m,
      );
      await this.outbox.add(m, active ? userUpdatedEntry(after) : userDeactivatedEntry(after));
      return after;
    });
  }

  /** An admin sets a new password (the policy applies). Other services see no change, so no event. */
  async resetPassword(tenantId: string, caller: AdminCaller, id: string, password: string): Promise<void> {
    const user = await this.get(tenantId, id);
    this.assertPasswordPolicy(password, user.login, tenantId, user.name, await this.localeOf(tenantId));
    const passwordHash = await hashPassword(password);
    await this.dataSource.transaction(async (m) => {
      const before = await this.lock(tenantId, id, m);
      const now = new Date();
      const after: User = { ...before, passwordHash, passwordChangedAt: now, updatedAt: now };
      await this.users(tenantId, m).update({ id }, { passwordHash, passwordChangedAt: now, updatedAt: now });
      await this.audit.record(
        {
          tenantId,
          type: 'user.password-reset',
          actor: caller.actor,
          subject: { type: 'user', id },
          origin: caller.origin,
          before: userAuditState(before),
          after: userAuditState(after),
        },
        m,
      );
    });
  }

  /** Lifts a brute-force lockout of `login@tenant` (the per-IP throttle is not per account and stays). */
  async unlock(tenantId: string, caller: AdminCaller, id: string): Promise<void> {
    const user = await this.get(tenantId, id);
    await this.signIn.protection.unlock(accountKeyOfUser(user));
    await this.audit.record({
      tenantId,
      type: 'user.unlocked',
      actor: caller.actor,
      subject: { type: 'user', id },
      origin: caller.origin,
    });
  }

  private async lock(tenantId: string, id: string, m: EntityManager): Promise<User> {
    const user = await this.users(tenantId, m).findOne({
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!user) throw new NotFoundError('User');
    return user;
  }

  private assertPasswordPolicy(
    password: string,
    login: string,
    tenantId: string,
    name: string,
    locale: Locale,
  ) {
    const violations = checkPasswordPolicy(password, { login: `${login}@${tenantId}`, name, locale });
    if (violations.length > 0) throw new PasswordPolicyError(violations);
  }

  /** Policy messages in the tenant's language. */
  private async localeOf(tenantId: string): Promise<Locale> {
    const tenant = await this.dataSource.getRepository(Tenant).findOneBy({ id: tenantId });
    return tenant?.locale ?? 'ru';
  }
}
