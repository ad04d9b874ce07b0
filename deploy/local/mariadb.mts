/**
 * MariaDB on the machine (MySQL 8.4 in production): reuse it when it answers, start it when it is installed
 * but stopped, and provision one database + user per service (databases.mts). Idempotent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, chownSync } from 'node:fs';
import mysql from 'mysql2/promise';
import type { Settings } from './config.mts';
import {
  DATABASE_CHARSET,
  DATABASE_COLLATION,
  DATABASE_USER_HOSTS,
  SERVICE_DATABASES,
  type ServiceDatabase,
} from './databases.mts';
import { InfraError, errorText, isExecutable, isLoopback, sleep, tcpOpen } from './util.mts';

const MARIADBD = '/usr/sbin/mariadbd';
const START_COMMAND = `start-stop-daemon --start --oknodo --background --exec ${MARIADBD}`;
const INSTALL_HINT = 'Install it with: apt-get install mariadb-server redis-server';

type Db = Settings['db'];

export function describeDb(db: Db): string {
  return `${db.host}:${db.port}`;
}

export async function rootConnection(db: Db): Promise<mysql.Connection> {
  return mysql.createConnection({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    connectTimeout: 3000,
    multipleStatements: false,
  });
}

async function tryVersion(db: Db): Promise<{ version: string } | { error: unknown }> {
  let conn: mysql.Connection | undefined;
  try {
    conn = await rootConnection(db);
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
    return { version: String(rows[0]?.v) };
  } catch (error) {
    return { error };
  } finally {
    await conn?.end().catch(() => undefined);
  }
}

function accessDenied(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR';
}

function deniedError(db: Db, error: unknown): InfraError {
  return new InfraError(
    `MariaDB at ${describeDb(db)} refused ${db.user}: ${errorText(error)}`,
    'Set DB_ROOT_USER / DB_ROOT_PASSWORD to an account that may create databases and users.',
  );
}

/** Makes sure MariaDB answers; returns its version and whether this call started it. */
export async function ensureMariaDb(db: Db): Promise<{ version: string; started: boolean }> {
  const first = await tryVersion(db);
  if ('version' in first) return { version: first.version, started: false };
  if (accessDenied(first.error)) throw deniedError(db, first.error);
  if (await tcpOpen(db.host, db.port)) {
    throw new InfraError(
      `MariaDB at ${describeDb(db)} accepts connections but does not answer: ${errorText(first.error)}`,
    );
  }
  if (!isLoopback(db.host)) {
    throw new InfraError(
      `MariaDB at ${describeDb(db)} does not answer (${errorText(first.error)}).`,
      'Start it, or unset DB_HOST.',
    );
  }
  if (!isExecutable(MARIADBD)) {
    throw new InfraError(`MariaDB is not installed (no ${MARIADBD}).`, INSTALL_HINT);
  }
  if (process.getuid?.() !== 0) {
    throw new InfraError(`MariaDB is installed but stopped.`, `Start it as root: sudo ${START_COMMAND}`);
  }
  // The Debian package keeps the socket and pid file in /run/mysqld, which is a tmpfs gone after a reboot.
  if (!existsSync('/run/mysqld')) {
    mkdirSync('/run/mysqld', { recursive: true });
    const ids = spawnSync('id', ['-u', 'mysql'], { encoding: 'utf8' });
    const gids = spawnSync('id', ['-g', 'mysql'], { encoding: 'utf8' });
    if (ids.status === 0 && gids.status === 0)
      chownSync('/run/mysqld', Number(ids.stdout), Number(gids.stdout));
  }
  const run = spawnSync('start-stop-daemon', ['--start', '--oknodo', '--background', '--exec', MARIADBD], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (run.error || run.status !== 0) {
    throw new InfraError(
      `Could not start MariaDB (${START_COMMAND}): ${run.error ? errorText(run.error) : (run.stderr || `exit ${run.status}`).trim()}`,
    );
  }
  const deadline = Date.now() + 30_000;
  let last: unknown = first.error;
  while (Date.now() < deadline) {
    await sleep(500);
    const attempt = await tryVersion(db);
    if ('version' in attempt) return { version: attempt.version, started: true };
    if (accessDenied(attempt.error)) throw deniedError(db, attempt.error);
    last = attempt.error;
  }
  throw new InfraError(
    `MariaDB was started but does not answer on ${describeDb(db)} after 30 s: ${errorText(last)}`,
    'Look at /var/log/mysql/error.log (or journalctl) for the reason.',
  );
}

function q(conn: mysql.Connection, sql: string, values: unknown[] = []): Promise<unknown> {
  return conn.query(sql, values);
}

async function provisionOne(conn: mysql.Connection, spec: ServiceDatabase): Promise<void> {
  const dbId = mysql.escapeId(spec.database);
  await q(
    conn,
    `CREATE DATABASE IF NOT EXISTS ${dbId} CHARACTER SET ${DATABASE_CHARSET} COLLATE ${DATABASE_COLLATION}`,
  );
  // Only the defaults for new tables change; existing tables are left alone.
  await q(conn, `ALTER DATABASE ${dbId} CHARACTER SET ${DATABASE_CHARSET} COLLATE ${DATABASE_COLLATION}`);
  for (const host of DATABASE_USER_HOSTS) {
    const account = `${mysql.escape(spec.user)}@${mysql.escape(host)}`;
    await q(conn, `CREATE USER IF NOT EXISTS ${account} IDENTIFIED BY ?`, [spec.password]);
    await q(conn, `ALTER USER ${account} IDENTIFIED BY ?`, [spec.password]);
    await q(conn, `GRANT ALL PRIVILEGES ON ${dbId}.* TO ${account}`);
  }
}

/** Creates (or repairs) every service database, user, password and grant. */
export async function provisionDatabases(db: Db): Promise<string[]> {
  const conn = await rootConnection(db);
  try {
    const names: string[] = [];
    for (const spec of Object.values(SERVICE_DATABASES)) {
      await provisionOne(conn, spec);
      names.push(spec.database);
    }
    return names;
  } finally {
    await conn.end().catch(() => undefined);
  }
}

export interface MariaDbStatus {
  readonly up: boolean;
  readonly version?: string;
  readonly error?: string;
  readonly presentDatabases?: string[];
  readonly missingDatabases?: string[];
}

export async function mariaDbStatus(db: Db): Promise<MariaDbStatus> {
  let conn: mysql.Connection | undefined;
  try {
    conn = await rootConnection(db);
    const [versionRows] = await conn.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
    const [dbRows] = await conn.query<mysql.RowDataPacket[]>('SHOW DATABASES');
    const existing = new Set(dbRows.map((r) => String(Object.values(r)[0])));
    const wanted = Object.values(SERVICE_DATABASES).map((s) => s.database);
    return {
      up: true,
      version: String(versionRows[0]?.v),
      presentDatabases: wanted.filter((d) => existing.has(d)),
      missingDatabases: wanted.filter((d) => !existing.has(d)),
    };
  } catch (error) {
    if (accessDenied(error)) return { up: true, error: `${db.user} refused: ${errorText(error)}` };
    return { up: false, error: errorText(error) };
  } finally {
    await conn?.end().catch(() => undefined);
  }
}
