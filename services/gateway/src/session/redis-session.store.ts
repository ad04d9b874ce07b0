import { Store, type SessionData } from 'express-session';
import type { Redis } from 'ioredis';

type Callback<T = void> = (err?: unknown, value?: T) => void;

/**
 * express-session's store on the service's ioredis client (connect-redis 10 speaks only node-redis). A
 * session is one JSON string under `sess:<id>` whose TTL follows the cookie's expiry, or `ttlSeconds`.
 */
export class RedisSessionStore extends Store {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
    private readonly prefix = 'sess:',
  ) {
    super();
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    this.read(sid).then(
      (session) => callback(undefined, session),
      (err: unknown) => callback(err),
    );
  }

  /** The session under `sid`, or null when there is none (expired, destroyed, never existed). */
  async read(sid: string): Promise<SessionData | null> {
    const raw = await this.redis.get(this.key(sid));
    return raw ? (JSON.parse(raw) as SessionData) : null;
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    this.redis.set(this.key(sid), JSON.stringify(session), 'EX', this.ttl(session)).then(
      () => callback?.(),
      (err: unknown) => callback?.(err),
    );
  }

  /**
   * A no-op: a session lives a fixed time from sign-in (its Redis TTL is set from the cookie's expiry on
   * every save), so express-session's per-request touch would only re-send the same expiry, one Redis
   * round trip per request for nothing.
   */
  override touch(_sid: string, _session: SessionData, callback?: Callback): void {
    callback?.();
  }

  override destroy(sid: string, callback?: Callback): void {
    this.redis.del(this.key(sid)).then(
      () => callback?.(),
      (err: unknown) => callback?.(err),
    );
  }

  private key(sid: string): string {
    return `${this.prefix}${sid}`;
  }

  private ttl(session: SessionData): number {
    const expires = session.cookie?.expires ? new Date(session.cookie.expires).getTime() : undefined;
    if (!expires) return this.ttlSeconds;
    return Math.max(1, Math.ceil((expires - Date.now()) / 1000));
  }
}
