import { Inject, Injectable } from '@nestjs/common';
import { ROOT_LOGGER, InjectConfig } from '@okc/runtime';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import type { SsoConfig } from '../config';
import { decryptJwk, encryptJwk, generateSigningJwk, type PrivateSigningJwk } from './key-crypto';
import { SigningKey } from './signing-key.entity';

/** The key set the provider runs with: `current` signs; every key (current, next, retired) is published. */
export interface ActiveKeySet {
  readonly current: PrivateSigningJwk;
  /** Current first (oidc-provider signs ID tokens with the first signing key), then next, then retired. */
  readonly published: readonly PrivateSigningJwk[];
  /** Changes whenever a key is added, promoted, retired or removed. */
  readonly fingerprint: string;
}

export interface KeyInfo {
  kid: string;
  alg: string;
  state: SigningKey['state'];
  createdAt: Date;
  activatedAt: Date | null;
  retiredAt: Date | null;
  expiresAt: Date | null;
}

const LOCK_NAME = 'okc_sso_signing_keys';
/** Margin past a retired key's last token: clock skew plus verifiers' JWKS caches. */
const RETIREMENT_MARGIN_MS = 5 * 60_000;

/**
 * Signing keys in the database, rotated without downtime:
 * - a `next` key is published in JWKS long before it signs (every verifier has it when it starts);
 * - rotation makes `next` current, retires the old current and creates a new `next`;
 * - a retired key stays published until every token it signed has expired, then it is deleted.
 * Every instance reads the same set; changes are serialised with a named database lock.
 */
@Injectable()
export class SigningKeysService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: SsoConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  /** Creates the first keys if there are none (first boot). Idempotent and safe with several instances. */
  async ensureKeys(): Promise<void> {
    await this.locked(async (manager) => {
      const keys = await manager.find(SigningKey);
      const now = new Date();
      if (!keys.some((k) => k.state === 'current')) {
        const next = keys.find((k) => k.state === 'next');
        if (next) await manager.update(SigningKey, { kid: next.kid }, { state: 'current', activatedAt: now });
        else await this.insertKey(manager, 'current', now);
        this.logger.info('signing keys: created the first current key');
      }
      if (!keys.some((k) => k.state === 'next') || !keys.some((k) => k.state === 'current')) {
        await this.insertKey(manager, 'next', now);
      }
    });
  }

  /** Promotes `next`, retires `current` until its last token expires, creates a new `next`. */
  async rotate(reason: string): Promise<{ current: string; retired: string | null; next: string }> {
    const result = await this.locked(async (manager) => {
      const now = new Date();
      const keys = await manager.find(SigningKey);
      const current = keys.find((k) => k.state === 'current');
      const next = keys.find((k) => k.state === 'next');
      if (current) {
        await manager.update(
          SigningKey,
          { kid: current.kid },
          {
            state: 'retired',
            retiredAt: now,
            expiresAt: new Date(now.getTime() + this.retiredKeyLifetimeMs()),
          },
        );
      }
      let newCurrent: string;
      if (next) {
        await manager.update(SigningKey, { kid: next.kid }, { state: 'current', activatedAt: now });
        newCurrent = next.kid;
      } else {
        newCurrent = await this.insertKey(manager, 'current', now);
      }
      const newNext = await this.insertKey(manager, 'next', now);
      return { current: newCurrent, retired: current?.kid ?? null, next: newNext };
    });
    this.logger.info({ ...result, reason }, 'signing keys rotated');
    return result;
  }

  /** Rotates when the current key is older than SSO_KEY_ROTATION_DAYS; removes expired retired keys. */
  async maintain(): Promise<boolean> {
    const removed = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(SigningKey)
      .where('state = :state AND expires_at < :now', { state: 'retired', now: new Date() })
      .execute();
    if (removed.affected)
      this.logger.info({ removed: removed.affected }, 'signing keys: expired keys removed');
    const current = await this.dataSource.getRepository(SigningKey).findOneBy({ state: 'current' });
    const maxAgeMs = this.config.SSO_KEY_ROTATION_DAYS * 86_400_000;
    if (current?.activatedAt && Date.now() - current.activatedAt.getTime() >= maxAgeMs) {
      await this.rotate('scheduled');
      return true;
    }
    return (removed.affected ?? 0) > 0;
  }

  async loadActiveSet(): Promise<ActiveKeySet> {
    const rows = await this.dataSource.getRepository(SigningKey).find({ order: { createdAt: 'DESC' } });
    const now = Date.now();
    const live = rows.filter((k) => k.state !== 'retired' || !k.expiresAt || k.expiresAt.getTime() > now);
    const order = { current: 0, next: 1, retired: 2 } as const;
    live.sort((a, b) => order[a.state] - order[b.state]);
    const currentRow = live.find((k) => k.state === 'current');
    if (!currentRow) throw new Error('no current signing key: ensureKeys() has not run');
    const published = live.map((row) => {
      const jwk = decryptJwk(row.privateJwk, this.config.SSO_KEYS_SECRET);
      // Only the current key may sign; the others are there to verify (oidc-provider honours key_ops).
      return row.state === 'current' ? jwk : { ...jwk, key_ops: ['verify'] };
    });
    return {
      current: published[0]!,
      published,
      fingerprint: live.map((k) => `${k.kid}:${k.state}`).join(','),
    };
  }

  async list(): Promise<KeyInfo[]> {
    const rows = await this.dataSource.getRepository(SigningKey).find({ order: { createdAt: 'DESC' } });
    return rows.map(({ kid, alg, state, createdAt, activatedAt, retiredAt, expiresAt }) => ({
      kid,
      alg,
      state,
      createdAt,
      activatedAt,
      retiredAt,
      expiresAt,
    }));
  }

  /** Longest life of anything a key signs (access and ID tokens share the TTL), plus the margin. */
  private retiredKeyLifetimeMs(): number {
    return this.config.SSO_ACCESS_TOKEN_TTL_S * 1000 + RETIREMENT_MARGIN_MS;
  }

  private async insertKey(manager: EntityManager, state: 'current' | 'next', now: Date): Promise<string> {
    const jwk = await generateSigningJwk();
    await manager.insert(SigningKey, {
      kid: jwk.kid,
      alg: jwk.alg,
      state,
      privateJwk: encryptJwk(jwk, this.config.SSO_KEYS_SECRET),
      createdAt: now,
      activatedAt: state === 'current' ? now : null,
      retiredAt: null,
      expiresAt: null,
    });
    return jwk.kid;
  }

  /** GET_LOCK works the same on MariaDB and MySQL and needs no row to exist yet (first boot). */
  private async locked<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [row] = (await runner.query('SELECT GET_LOCK(?, 30) AS got', [LOCK_NAME])) as { got: number }[];
      if (Number(row?.got) !== 1) throw new Error('signing keys: could not take the rotation lock in 30 s');
      try {
        await runner.startTransaction();
        try {
          const result = await work(runner.manager);
          await runner.commitTransaction();
          return result;
        } catch (error) {
          await runner.rollbackTransaction();
          throw error;
        }
      } finally {
        await runner.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]);
      }
    } finally {
      await runner.release();
    }
  }
}
