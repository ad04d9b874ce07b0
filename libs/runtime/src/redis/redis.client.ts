import { Redis } from 'ioredis';
import type { RedisConfig } from '../config/config.schemas';

const FIRST_RETRY_MS = 100;
export const MAX_RETRY_DELAY_MS = 5000;

/** Reconnect delay after the n-th failed attempt: 100 ms, 200 ms, 400 ms, … capped at 5 s, forever. */
export function redisRetryDelay(attempt: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1), MAX_RETRY_DELAY_MS);
}

/**
 * The one Redis client of a service. It never blocks startup and never crashes the process: commands fail
 * fast while disconnected (no offline queue, one retry) and the client keeps reconnecting in the background.
 */
/** What the connection watcher logs with: the app's root pino logger, or anything shaped like it. */
export interface ConnectionLogger {
  info(msg: string): void;
  warn(msg: string): void;
}

export function createRedisClient(config: RedisConfig, logger: ConnectionLogger): Redis {
  const client = new Redis(config.REDIS_URL, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: redisRetryDelay,
    // On close, a socket that does not end by itself is destroyed after this; the 2 s default holds
    // the event loop open that long after a failed connection attempt.
    disconnectTimeout: 500,
    keyPrefix: config.REDIS_KEY_PREFIX,
  });
  watchConnection(client, logger);
  return client;
}

/** Clients being closed on purpose: their 'close' is not a lost connection. */
const closing = new WeakSet<Redis>();

/** Logs the loss and the recovery of the connection once each, not every failed reconnect. */
export function watchConnection(client: Redis, logger: ConnectionLogger): void {
  let state: 'connecting' | 'up' | 'down' = 'connecting';
  client.on('ready', () => {
    if (state === 'down') logger.info('Redis connection recovered');
    else if (state === 'connecting') logger.info('Redis connected');
    state = 'up';
  });
  const markDown = (reason: string): void => {
    if (state === 'down' || closing.has(client)) return;
    logger.warn(
      state === 'up'
        ? `Redis connection lost (${reason}); reconnecting in the background`
        : `Redis unavailable (${reason}); retrying in the background`,
    );
    state = 'down';
  };
  // Without an 'error' listener ioredis reports every failed attempt on its own.
  client.on('error', (err: Error) => markDown(err.message));
  client.on('close', () => {
    if (state === 'up') markDown('connection closed');
  });
}

/** Closes politely when connected (QUIT), otherwise just stops the reconnect loop. */
export async function closeRedisClient(client: Redis, timeoutMs = 2000): Promise<void> {
  if (client.status === 'end') return;
  closing.add(client);
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  try {
    await Promise.race([client.quit().then(() => undefined), timeout]);
  } catch {
    // QUIT failed: the socket is going away anyway.
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
