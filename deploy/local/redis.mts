/**
 * Redis on the machine: reuse it when it answers, start it (no persistence, loopback only) when it is installed
 * but stopped.
 */
import { spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import type { Settings } from './config.mts';
import { InfraError, errorText, isLoopback, sleep, which } from './util.mts';

const INSTALL_HINT = 'Install it with: apt-get install mariadb-server redis-server';

function startArgs(port: number): string[] {
  return [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '-::1',
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
  ];
}

/** `INFO server` → redis_version, or the error. */
export async function redisVersion(url: string): Promise<{ version: string } | { error: string }> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The socket error (e.g. ECONNREFUSED) says more than the "Connection is closed." that connect() rejects with.
  let socketError: unknown;
  client.on('error', (err) => (socketError ??= err));
  try {
    await client.connect();
    const info = await client.info('server');
    const version = /^redis_version:(.+)$/m.exec(info)?.[1]?.trim() ?? 'unknown';
    return { version };
  } catch (err) {
    return { error: errorText(socketError ?? err) };
  } finally {
    client.disconnect();
  }
}

export async function ensureRedis(s: Settings): Promise<{ version: string; started: boolean }> {
  const first = await redisVersion(s.redisUrl);
  if ('version' in first) return { version: first.version, started: false };
  const where = `${s.redis.host}:${s.redis.port}`;
  if (!isLoopback(s.redis.host)) {
    throw new InfraError(
      `Redis at ${where} does not answer (${first.error}).`,
      'Start it, or unset REDIS_URL.',
    );
  }
  const server = which('redis-server');
  if (!server) throw new InfraError('Redis is not installed (no redis-server on PATH).', INSTALL_HINT);
  const args = startArgs(s.redis.port);
  const run = spawnSync(server, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.error || run.status !== 0) {
    const reason = run.error
      ? errorText(run.error)
      : (run.stderr || run.stdout || `exit ${run.status}`).trim();
    throw new InfraError(`Could not start Redis (redis-server ${args.join(' ')}): ${reason}`);
  }
  const deadline = Date.now() + 15_000;
  let last = first.error;
  while (Date.now() < deadline) {
    await sleep(300);
    const attempt = await redisVersion(s.redisUrl);
    if ('version' in attempt) return { version: attempt.version, started: true };
    last = attempt.error;
  }
  throw new InfraError(`Redis was started but does not answer on ${where} after 15 s: ${last}`);
}
