import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { InjectConfig, REDIS_CLIENT, ROOT_LOGGER } from '@okc/runtime';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AuditService, type RequestOrigin } from '../audit/audit.service';
import type { SsoConfig } from '../config';
import { AccountsService } from '../users/accounts.service';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from '../users/password';
import type { User } from '../users/user.entity';
import { BruteForceProtection } from './brute-force';
import { accountKeyOf, type SignInIdentifier } from './identifier';

export type SignInResult =
  | { readonly ok: true; readonly user: User }
  | { readonly ok: false; readonly error: 'invalid' }
  | { readonly ok: false; readonly error: 'locked' | 'throttled'; readonly retryAfterSec: number };

/** Why a sign-in failed, for the audit log only: the person at the form always reads the same message. */
type FailureReason = 'unknown-tenant' | 'unknown-user' | 'inactive-tenant' | 'inactive-user' | 'bad-password';

/**
 * Checks a password sign-in: throttling first (a locked account is refused before any password work),
 * then the progressive delay, then argon2id. Unknown accounts cost the same hash work as real ones and
 * are throttled the same way, so neither the answer nor its timing tells whether an account exists.
 */
@Injectable()
export class SignInService {
  private readonly bruteForce: BruteForceProtection;

  constructor(
    @InjectConfig() config: SsoConfig,
    @Inject(REDIS_CLIENT) redis: Redis,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    this.bruteForce = new BruteForceProtection(redis, {
      freeAttempts: config.SSO_LOGIN_FREE_ATTEMPTS,
      delayBaseMs: config.SSO_LOGIN_DELAY_BASE_MS,
      delayMaxMs: config.SSO_LOGIN_DELAY_MAX_MS,
      lockoutThreshold: config.SSO_LOCKOUT_THRESHOLD,
      lockoutMs: config.SSO_LOCKOUT_MS,
      lockoutMaxMs: config.SSO_LOCKOUT_MAX_MS,
    });
  }

  get protection(): BruteForceProtection {
    return this.bruteForce;
  }

  async signIn(
    id: SignInIdentifier,
    password: string,
    origin: RequestOrigin,
    clientId: string | null,
  ): Promise<SignInResult> {
    const accountKey = accountKeyOf(id);
    // One attempt per account at a time: parallel guesses are refused, not queued.
    if (!(await this.bruteForce.beginAttempt(accountKey))) {
      this.audit.recordDetached({
        tenantId: id.tenant,
        type: 'sign-in.failed',
        actor: { type: 'anonymous', label: accountKey },
        clientId,
        origin,
        reason: 'concurrent-attempt',
      });
      return { ok: false, error: 'throttled', retryAfterSec: 1 };
    }
    try {
      return await this.attempt(id, accountKey, password, origin, clientId);
    } finally {
      await this.bruteForce.endAttempt(accountKey);
    }
  }

  private async attempt(
    id: SignInIdentifier,
    accountKey: string,
    password: string,
    origin: RequestOrigin,
    clientId: string | null,
  ): Promise<SignInResult> {
    // Without an address only the account is throttled: one shared 'unknown' bucket would lock everyone.
    const ip = origin.ip ?? undefined;
    const label = accountKey;
    const gate = await this.bruteForce.check(accountKey, ip);
    if (!gate.allowed) {
      this.audit.recordDetached({
        tenantId: id.tenant,
        type: 'sign-in.failed',
        actor: { type: 'anonymous', label },
        clientId,
        origin,
        reason: gate.scope === 'ip' ? 'ip-locked' : 'locked',
      });
      // An address-wide lock says so ("too many attempts from your address"); an account lock does not.
      return {
        ok: false,
        error: gate.scope === 'ip' ? 'throttled' : 'locked',
        retryAfterSec: gate.retryAfterSec,
      };
    }
    if (gate.delayMs > 0) await sleep(gate.delayMs);

    const { user, failure } = await this.check(id, password);
    if (user) {
      await this.bruteForce.recordSuccess(accountKey);
      const rehash = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
      await this.accounts.recordSignIn(user, rehash);
      this.audit.recordDetached({
        tenantId: user.tenantId,
        type: 'sign-in.succeeded',
        actor: { type: 'user', id: user.id, label },
        subject: { type: 'user', id: user.id },
        clientId,
        origin,
      });
      return { ok: true, user };
    }

    const outcome = await this.bruteForce.recordFailure(accountKey, ip);
    const subject = failure.userId ? { type: 'user', id: failure.userId } : null;
    this.audit.recordDetached({
      tenantId: id.tenant,
      type: 'sign-in.failed',
      actor: { type: 'anonymous', label },
      subject,
      clientId,
      origin,
      reason: failure.reason,
    });
    if (outcome.lockedNow) {
      this.logger.warn(
        { account: label, ip, scope: outcome.scope, failures: outcome.failures },
        'sign-in locked',
      );
      this.audit.recordDetached({
        tenantId: id.tenant,
        type: 'account.locked',
        actor: { type: 'system' },
        subject: subject ?? { type: 'account', id: label },
        clientId,
        origin,
        reason: `${outcome.scope ?? 'account'}: ${outcome.failures} failures, ${outcome.retryAfterSec ?? 0}s`,
      });
      return {
        ok: false,
        error: outcome.scope === 'ip' ? 'throttled' : 'locked',
        retryAfterSec: outcome.retryAfterSec ?? 60,
      };
    }
    return { ok: false, error: 'invalid' };
  }

  private async check(
    id: SignInIdentifier,
    password: string,
  ): Promise<
    { user: User; failure?: never } | { user?: never; failure: { reason: FailureReason; userId?: string } }
  > {
    const tenant = await this.accounts.findTenant(id.tenant);
    const user = tenant ? await this.accounts.findByLogin(tenant.id, id.login) : null;
    // Always one argon2 verification, real or dummy, so every failure takes as long as a real check.
    const passwordOk = user
      ? await verifyPassword(user.passwordHash, password)
      : await verifyAgainstDummy(password);
    if (!tenant) return { failure: { reason: 'unknown-tenant' } };
    if (!user) return { failure: { reason: 'unknown-user' } };
    if (!passwordOk) return { failure: { reason: 'bad-password', userId: user.id } };
    if (!tenant.active) return { failure: { reason: 'inactive-tenant', userId: user.id } };
    if (!user.active) return { failure: { reason: 'inactive-user', userId: user.id } };
    return { user };
  }
}
