import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createTestDatabase, freePort, waitFor } from '@okc/testing';
import type { SsoHarness } from './sso-harness';

const ROOT = path.resolve(__dirname, '../../../..');

export interface OtherService {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The real focus service as its own process (TypeScript run through @swc-node/register), configured to
 * trust this harness's sso the way production configures it: the public issuer URL, plus the address
 * where focus actually reaches sso.
 */
export async function startFocus(h: SsoHarness): Promise<OtherService> {
  const database = await createTestDatabase(h.infra, `focus_${randomBytes(3).toString('hex')}`);
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_OPTIONS: '',
    SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.node.json'),
    NODE_ENV: 'test',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DB_HOST: database.config.host,
    DB_PORT: String(database.config.port),
    DB_USER: database.config.user,
    DB_PASSWORD: database.config.password,
    DB_NAME: database.config.database,
    REDIS_URL: h.env.REDIS_URL,
    REDIS_KEY_PREFIX: `${h.env.REDIS_KEY_PREFIX}focus:`,
    KAFKA_BROKERS: h.env.KAFKA_BROKERS,
    KAFKA_TOPIC_PREFIX: h.env.KAFKA_TOPIC_PREFIX,
    OIDC_ISSUER: h.issuer,
    OIDC_DISCOVERY_URL: h.issuer,
    OIDC_JWKS_COOLDOWN_MS: '0',
  };
  const node = (script: string) => [
    '--disable-warning=TimeoutNegativeWarning',
    '-r',
    '@swc-node/register',
    path.join(ROOT, 'services/focus/src', script),
  ];
  const migrated = spawnSync(process.execPath, node('migrate.ts'), { cwd: ROOT, env, encoding: 'utf8' });
  if (migrated.status !== 0) throw new Error(`focus migrations failed: ${migrated.stderr}`);
  const child: ChildProcess = spawn(process.execPath, node('main.ts'), { cwd: ROOT, env, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('focus to listen', async () => (await fetch(`${url}/health/live`)).ok, 60_000);
  return {
    url,
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await database.drop();
    },
  };
}
