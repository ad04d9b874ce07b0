import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** The Redis hash of every tenant's allowed origins (field: tenant id, value: a JSON array). */
export const CORS_ORIGINS_KEY = 'gateway:cors-origins';

/**
 * Each tenant's CORS allow-list as the gateway knows it: written from sso's `tenant.created` and
 * `tenant.updated` events (set, not add, so a replayed event changes nothing), read by every gateway
 * instance through a short in-process copy of the whole hash (one HGETALL per `refreshMs` at most).
 * An inactive tenant allows no origin.
 */
export class CorsOrigins {
  private byTenant = new Map<string, ReadonlySet<string>>();
  private anyTenant: ReadonlySet<string> = new Set();
  private loadedAt = -Infinity;
  private loaded = false;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly refreshMs = 5_000,
  ) {}

  /** Records a tenant's list (from its latest event). */
  async set(tenantId: string, origins: readonly string[], active: boolean): Promise<void> {
    await this.redis.hset(CORS_ORIGINS_KEY, tenantId, JSON.stringify(active ? origins : []));
    this.loadedAt = -Infinity; // this instance sees its own write at once
  }

  /** Whether `tenantId` allows `origin`. */
  async allows(tenantId: string, origin: string): Promise<boolean> {
    await this.fresh();
    return this.byTenant.get(tenantId)?.has(origin) ?? false;
  }

  /** Whether some tenant allows `origin` (a preflight carries no token, so no tenant yet). */
  async anyAllows(origin: string): Promise<boolean> {
    await this.fresh();
    return this.anyTenant.has(origin);
  }

  /**
   * Reloads the copy when it is older than `refreshMs`. When Redis does not answer, a copy loaded before
   * is kept (and retried after `refreshMs`); with none, the error goes to the caller (a 503: CORS stays
   * closed rather than guessing).
   */
  private async fresh(): Promise<void> {
    if (Date.now() - this.loadedAt < this.refreshMs) return;
    this.loading ??= this.load()
      .catch((err: unknown) => {
        if (!this.loaded) throw err;
        this.loadedAt = Date.now();
        this.logger.warn({ err }, 'CORS allow-lists could not be reloaded from Redis; using the last copy');
      })
      .finally(() => (this.loading = null));
    await this.loading;
  }

  private async load(): Promise<void> {
    const raw = await this.redis.hgetall(CORS_ORIGINS_KEY);
    const byTenant = new Map<string, ReadonlySet<string>>();
    const anyTenant = new Set<string>();
    for (const [tenantId, json] of Object.entries(raw)) {
      const origins = JSON.parse(json) as string[];
      byTenant.set(tenantId, new Set(origins));
      origins.forEach((origin) => anyTenant.add(origin));
    }
    this.byTenant = byTenant;
    this.anyTenant = anyTenant;
    this.loadedAt = Date.now();
    this.loaded = true;
  }
}
