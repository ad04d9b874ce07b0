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
    this.redis.get(this.key(sid)).then(
      (raw) => callback(undefined, raw ? (JSON.parse(raw) as SessionData) : null),
      (err: unknown) => callback(err),
    );
  }

  override set(sid: string, session: SessionData, callback?: Callback): void {
    this.redis.set(this.key(sid), JSON.stringify(session), 'EX', this.ttl(session)).then(
      () => callback?.(),
      (err: unknown) => callback?.(err),
    );
  }

  override touch(sid: string, session: SessionData, callback?: Callback): void {
    this.redis.expire(this.key(sid), this.ttl(session)).then(
      () => callback?.(),
      (err: unknown) => callback?.(err),
    );
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
