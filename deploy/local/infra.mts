/**
 * Local infrastructure without Docker (ARCHITECTURE.md §8):
 *
 *   npm run infra:up       MariaDB + Redis on 127.0.0.1 (reused, or started when installed but stopped),
 *                          the service databases and users, a single-node Kafka broker from Maven jars, the topics
 *   npm run infra:status   one line per component; exits 1 when anything is down or missing
 *   npm run infra:down     stops the Kafka broker infra:up started; MariaDB and Redis keep running
 *
 * Every step is idempotent. See deploy/local/README.md.
 */
import path from 'node:path';
import { KAFKA, settings, type Settings } from './config.mts';
import { SERVICE_DATABASES } from './databases.mts';
import {
  describeCluster,
  ensureKafka,
  jarVersion,
  runningBrokerPid,
  stopKafka,
  withAdmin,
  withLock,
} from './kafka.mts';
import { describeDb, ensureMariaDb, mariaDbStatus, provisionDatabases } from './mariadb.mts';
import { ensureRedis, redisVersion } from './redis.mts';
import { ensureTopics, topicPartitions, topicsPresent } from './topics.mts';
import { InfraError, errorText, ignoreKafkajsTimeoutWarning, say, seconds } from './util.mts';

ignoreKafkajsTimeoutWarning();

function kafkaAddress(s: Settings): string {
  return s.kafkaBrokers.join(',');
}

async function up(s: Settings): Promise<number> {
  const began = Date.now();

  const maria = await ensureMariaDb(s.db);
  say.ok(`MariaDB ${maria.version} at ${describeDb(s.db)} (${maria.started ? 'started' : 'running'})`);
  const databases = await provisionDatabases(s.db);
  say.ok(`Databases ${databases.join(' ')} (users, passwords and grants ensured)`);

  const redis = await ensureRedis(s);
  say.ok(
    `Redis ${redis.version} at ${s.redis.host}:${s.redis.port} (${redis.started ? 'started' : 'running'})`,
  );

  const kafka = await withLock(() => ensureKafka(s));
  const version = kafka.version ?? '(version unknown)';
  const how = {
    started: `started, pid ${kafka.pid}, ${kafka.took}`,
    waited: `started earlier, pid ${kafka.pid}, ready after ${kafka.took}`,
    reused: `reused, pid ${kafka.pid}`,
    'reused-foreign': 'reused; not started by infra:up, so infra:down leaves it alone',
  }[kafka.how];
  say.ok(`Kafka ${version} at ${kafkaAddress(s)} (${how}), cluster ${kafka.cluster.clusterId}`);

  const topics = await withAdmin(s.kafkaBrokers, (admin) => ensureTopics(admin));
  const changes = [
    topics.created.length ? `created ${topics.created.length}` : '',
    topics.grown.length ? `grew ${topics.grown.join(', ')}` : '',
  ].filter(Boolean);
  say.ok(`Topics ${topics.total}/${topics.total} (${changes.join('; ') || 'all present'})`);

  console.log(`Infrastructure is up (${seconds(began)}).`);
  return 0;
}

async function down(s: Settings): Promise<number> {
  const result = await withLock(() => stopKafka(s));
  if (result.stopped) {
    say.ok(
      `Kafka broker stopped (pid ${result.pid}, ${result.killed ? 'SIGKILL after 30 s' : 'SIGTERM'}, ${result.took})`,
    );
  } else if (result.foreign) {
    say.step(
      `Kafka at ${kafkaAddress(s)} is running but was not started by infra:up (no pid file); left alone`,
    );
  } else {
    say.step('Kafka broker is not running');
  }
  say.step('MariaDB and Redis left running (they are the machine’s services)');
  return 0;
}

function row(ok: boolean, name: string, state: string, version: string, rest: string): string {
  return `${ok ? '✓' : '✗'} ${name.padEnd(9)} ${state.padEnd(5)} ${version.padEnd(28)} ${rest}`.trimEnd();
}

async function status(s: Settings): Promise<number> {
  const [maria, redis, cluster] = await Promise.all([
    mariaDbStatus(s.db),
    redisVersion(s.redisUrl),
    describeCluster(s.kafkaBrokers),
  ]);
  const lines: string[] = [];
  let healthy = true;

  const mariaOk = maria.up && !maria.error;
  healthy &&= mariaOk;
  lines.push(
    row(
      mariaOk,
      'MariaDB',
      maria.up ? 'up' : 'down',
      maria.version ?? '-',
      `${describeDb(s.db)}${maria.error ? `  ${maria.error}` : ''}`,
    ),
  );

  const redisUp = 'version' in redis;
  healthy &&= redisUp;
  lines.push(
    row(
      redisUp,
      'Redis',
      redisUp ? 'up' : 'down',
      redisUp ? redis.version : '-',
      `${s.redis.host}:${s.redis.port}${redisUp ? '' : `  ${redis.error}`}`,
    ),
  );

  const pid = runningBrokerPid();
  const version = jarVersion() ?? '-';
  healthy &&= cluster !== undefined;
  if (cluster) {
    const owner = pid ? `pid ${pid}` : 'not started by infra:up';
    lines.push(
      row(
        true,
        'Kafka',
        'up',
        version,
        `${kafkaAddress(s)}  cluster ${cluster.clusterId}, controller ${cluster.controller ?? '-'}, ${cluster.brokers} broker(s), ${owner}`,
      ),
    );
  } else {
    const why = pid
      ? `no answer from broker pid ${pid} (starting or hung? see ${path.relative(process.cwd(), KAFKA.serverLog)})`
      : 'no broker answers';
    lines.push(row(false, 'Kafka', 'down', version, `${kafkaAddress(s)}  ${why}`));
  }

  const wantedDbs = Object.values(SERVICE_DATABASES).length;
  if (maria.presentDatabases && maria.missingDatabases) {
    const complete = maria.missingDatabases.length === 0;
    healthy &&= complete;
    const missing = complete ? '' : `  missing: ${maria.missingDatabases.join(' ')}`;
    lines.push(
      row(
        complete,
        'Databases',
        `${maria.presentDatabases.length}/${wantedDbs}`,
        maria.presentDatabases.join(' ') || '-',
        missing.trim(),
      ),
    );
  } else {
    lines.push(row(false, 'Databases', `?/${wantedDbs}`, '-', 'MariaDB not reachable'));
  }

  const wantedTopics = topicPartitions().size;
  if (cluster) {
    try {
      const topics = await withAdmin(s.kafkaBrokers, (admin) => topicsPresent(admin));
      const complete = topics.missing.length === 0;
      healthy &&= complete;
      const detail = complete ? '' : `missing: ${topics.missing.join(' ')}`;
      lines.push(
        row(
          complete,
          'Topics',
          `${topics.present.length}/${wantedTopics}`,
          `${wantedTopics / 2} + ${wantedTopics / 2} DLQ`,
          detail,
        ),
      );
    } catch (err) {
      healthy = false;
      lines.push(row(false, 'Topics', `?/${wantedTopics}`, '-', `listing failed: ${errorText(err)}`));
    }
  } else {
    lines.push(row(false, 'Topics', `?/${wantedTopics}`, '-', 'Kafka down'));
  }

  for (const line of lines) console.log(line);
  if (!healthy) console.log('Not everything is up: run `npm run infra:up`.');
  return healthy ? 0 : 1;
}

const COMMANDS = { up, down, status } as const;

async function main(argv: string[]): Promise<number> {
  const command = argv[0] ?? '';
  if (!Object.hasOwn(COMMANDS, command)) {
    console.error('usage: node deploy/local/infra.mts up|down|status');
    return 2;
  }
  return COMMANDS[command as keyof typeof COMMANDS](settings());
}

let code: number;
try {
  code = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof InfraError) {
    say.bad(err.message);
    if (err.hint) console.log(`  → ${err.hint}`);
  } else {
    say.bad(`unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
  code = 1;
}
// Client libraries may keep sockets or timers alive for a while; the work is done.
process.exit(code);
