/**
 * deploy/local/infra.mts driven as the user drives it (child processes), with the results checked independently
 * through mysql2 and the kafkajs admin client. Needs the machine's MariaDB and Redis; leaves the broker running.
 *
 * The stop/start case runs a second broker of its own (other ports, its own folder) so that it never stops the
 * shared broker under integration suites running at the same time on this machine.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import mysql from 'mysql2/promise';
import { TOPIC_SPECS, allTopicNames, dlqTopicOf } from '../../../libs/contracts/src/topics';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const NODE = path.join(ROOT, 'node_modules', '.bin', 'node');
const PID_FILE = path.join(ROOT, '.okc', 'kafka', 'kafka.pid');
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
/** The private broker of the stop/start case. */
const OWN_KAFKA = {
  OKC_KAFKA_DIR: path.join('.okc', 'kafka-int-test'),
  KAFKA_BROKERS: process.env.OKC_INFRA_TEST_BROKER ?? '127.0.0.1:19092',
  KAFKA_CONTROLLER_PORT: String(
    Number((process.env.OKC_INFRA_TEST_BROKER ?? '127.0.0.1:19092').split(':')[1]) + 1,
  ),
};
const DB = {
  host: process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.DB_PORT ?? 3306),
  user: process.env.DB_ROOT_USER ?? 'root',
  password: process.env.DB_ROOT_PASSWORD ?? '',
};

/** What ARCHITECTURE.md §7 and the brief promise, written out again here on purpose (not imported). */
const SERVICE_DATABASES = [
  { database: 'okc_sso', user: 'okc_sso', password: 'okc-local-sso' },
  { database: 'okc_pbx', user: 'okc_pbx', password: 'okc-local-pbx' },
  { database: 'okc_focus', user: 'okc_focus', password: 'okc-local-focus' },
  { database: 'okc_statix', user: 'okc_statix', password: 'okc-local-statix' },
  { database: 'okc_helper', user: 'okc_helper', password: 'okc-local-helper' },
];

interface Run {
  readonly code: number | null;
  readonly out: string;
}

function infra(command: 'up' | 'down' | 'status', extraEnv: Record<string, string> = {}): Promise<Run> {
  // Jest's NODE_OPTIONS (--experimental-vm-modules) is not for the script.
  const env = { ...process.env, NODE_OPTIONS: '', ...extraEnv };
  return new Promise((resolve, reject) => {
    const child = spawn(
      NODE,
      ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON', 'deploy/local/infra.mts', command],
      { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out }));
  });
}

function brokerPid(): number {
  return Number(readFileSync(PID_FILE, 'utf8').trim());
}

/** Alive and not a zombie (an exited broker may wait a while for its new parent to reap it). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The first output line that matches, or the whole output (so a failed match shows what was printed). */
function lineOf(out: string, pattern: RegExp): string {
  return out.split('\n').find((l) => pattern.test(l)) ?? `(no line matches ${String(pattern)})\n${out}`;
}

/** `up` prints `✓ Kafka <version> at <address> (...)`; `status` prints `✓ Kafka     up    ...`. */
const UP_LINE = /^. Kafka \d[\w.-]* at /;
const statusLine = (component: string): RegExp => new RegExp(`^. ${component}\\s+(up|down)\\b`);

function portOpen(hostPort: string): Promise<boolean> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const s = connect({ host, port: Number(port) });
    s.setTimeout(1500, () => {
      s.destroy();
      resolve(false);
    });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function withAdmin<T>(
  fn: (admin: ReturnType<Kafka['admin']>) => Promise<T>,
  brokers: string[] = BROKERS,
): Promise<T> {
  const admin = new Kafka({ clientId: 'infra-int-spec', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

function expectedPartitions(topic: string): number {
  for (const [name, spec] of Object.entries(TOPIC_SPECS)) {
    if (topic === name || topic === dlqTopicOf(name)) return spec.partitions;
  }
  throw new Error(`no spec for ${topic}`);
}

describe('deploy/local infra.mts', () => {
  afterAll(async () => {
    const ownDown = await infra('down', OWN_KAFKA);
    rmSync(path.join(ROOT, OWN_KAFKA.OKC_KAFKA_DIR), { recursive: true, force: true });
    // Other suites need the shared broker, whatever happened above.
    const run = await infra('up');
    if (ownDown.code !== 0 || run.code !== 0) {
      throw new Error(`cleanup failed:\n${ownDown.out}\n${run.out}`);
    }
  }, 240_000);

  it('up twice is idempotent: the broker is reused and the topics and databases exist', async () => {
    const first = await infra('up');
    expect(first).toMatchObject({ code: 0 });
    const pid = brokerPid();
    expect(alive(pid)).toBe(true);

    const second = await infra('up');
    expect(second.code).toBe(0);
    expect(lineOf(second.out, UP_LINE)).toMatch(/reused/);
    expect(brokerPid()).toBe(pid);
    expect(alive(pid)).toBe(true);

    const topics = await withAdmin(async (admin) => {
      const names = allTopicNames();
      const listed = new Set(await admin.listTopics());
      expect(names.filter((t) => !listed.has(t))).toEqual([]);
      return (await admin.fetchTopicMetadata({ topics: names })).topics;
    });
    expect(topics).toHaveLength(allTopicNames().length);
    for (const t of topics) {
      expect({ topic: t.name, enough: t.partitions.length >= expectedPartitions(t.name) }).toEqual({
        topic: t.name,
        enough: true,
      });
      for (const p of t.partitions) expect(p.replicas).toHaveLength(1);
    }

    const root = await mysql.createConnection(DB);
    try {
      const [rows] = await root.query<mysql.RowDataPacket[]>(
        'SELECT schema_name AS name, default_collation_name AS collation FROM information_schema.schemata',
      );
      const collations = new Map(rows.map((r) => [String(r.name), String(r.collation)]));
      for (const { database } of SERVICE_DATABASES)
        expect(collations.get(database)).toBe('utf8mb4_unicode_ci');
    } finally {
      await root.end();
    }

    for (const own of SERVICE_DATABASES) {
      const conn = await mysql.createConnection({
        host: DB.host,
        port: DB.port,
        user: own.user,
        password: own.password,
      });
      try {
        const [dbs] = await conn.query<mysql.RowDataPacket[]>('SHOW DATABASES');
        const visible = dbs.map((r) => String(Object.values(r)[0])).filter((d) => d.startsWith('okc_'));
        // Granted on its own database only: the other service databases are invisible to it.
        expect(visible).toEqual([own.database]);
        await conn.query(`USE \`${own.database}\``);
        await conn.query('CREATE TABLE IF NOT EXISTS infra_probe (id INT PRIMARY KEY)');
        await conn.query('DROP TABLE infra_probe');
      } finally {
        await conn.end();
      }
    }
  }, 240_000);

  it('status is truthful when Kafka is stopped, and up brings it back', async () => {
    const [ownBroker] = OWN_KAFKA.KAFKA_BROKERS.split(',');
    rmSync(path.join(ROOT, OWN_KAFKA.OKC_KAFKA_DIR), { recursive: true, force: true });
    const first = await infra('up', OWN_KAFKA);
    expect(first.code).toBe(0);
    expect(lineOf(first.out, UP_LINE)).toMatch(/started/);
    const ownPid = Number(readFileSync(path.join(ROOT, OWN_KAFKA.OKC_KAFKA_DIR, 'kafka.pid'), 'utf8'));
    expect(alive(ownPid)).toBe(true);

    const down = await infra('down', OWN_KAFKA);
    expect(down.code).toBe(0);
    expect(alive(ownPid)).toBe(false);
    expect(await portOpen(ownBroker!)).toBe(false);
    // The shared broker is not touched.
    expect(await portOpen(BROKERS[0]!)).toBe(true);

    const stopped = await infra('status', OWN_KAFKA);
    expect(stopped.code).not.toBe(0);
    expect(lineOf(stopped.out, statusLine('Kafka'))).toMatch(/^✗ Kafka\s+down\b/);
    expect(lineOf(stopped.out, statusLine('MariaDB'))).toMatch(/^✓ MariaDB\s+up\b/);
    expect(lineOf(stopped.out, statusLine('Redis'))).toMatch(/^✓ Redis\s+up\b/);

    const up = await infra('up', OWN_KAFKA);
    expect(up.code).toBe(0);
    expect(lineOf(up.out, UP_LINE)).toMatch(/started/);
    expect(await portOpen(ownBroker!)).toBe(true);
    // Same storage, formatted once: the cluster id survives the restart.
    const clusterId = await withAdmin(
      async (admin) => (await admin.describeCluster()).clusterId,
      [ownBroker!],
    );
    expect(first.out).toContain(`cluster ${clusterId}`);

    const running = await infra('status', OWN_KAFKA);
    expect(running.code).toBe(0);
    expect(lineOf(running.out, statusLine('Kafka'))).toMatch(/^✓ Kafka\s+up\b/);
    const total = allTopicNames().length;
    expect(lineOf(running.out, /^. Topics /)).toMatch(new RegExp(`^✓ Topics\\s+${total}/${total}\\b`));
  }, 240_000);
});
