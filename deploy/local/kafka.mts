/**
 * A real Apache Kafka broker (single node, KRaft combined broker+controller) run with the machine's JDK from
 * the Maven Central jars that deploy/local/kafka/pom.xml pins. Jars, config, data, logs and the pid file live
 * in `.okc/kafka/` (git-ignored). The broker runs detached, so it outlives the command that started it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { KAFKA, type Settings } from './config.mts';
import {
  InfraError,
  commandLineOf,
  errorText,
  isLoopback,
  processAlive,
  say,
  seconds,
  sleep,
  tail,
  tcpOpen,
  which,
} from './util.mts';

const INSTALL_HINT = 'Install them with: apt-get install openjdk-17-jdk-headless maven';
const MAIN_CLASS = 'kafka.Kafka';

// ---------------------------------------------------------------------------------------------- admin client

export function kafkaClient(brokers: string[], connectionTimeout = 1500): Kafka {
  return new Kafka({
    clientId: 'okc-infra',
    brokers,
    connectionTimeout,
    requestTimeout: 5000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
}

/** Connects an admin client, runs `fn`, always disconnects. */
export async function withAdmin<T>(brokers: string[], fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafkaClient(brokers).admin();
  try {
    await admin.connect();
    return await fn(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export interface ClusterInfo {
  readonly clusterId: string;
  readonly controller: number | null;
  readonly brokers: number;
}

/** A metadata round trip; resolves undefined when no broker answers (or none is registered yet). */
export async function describeCluster(brokers: string[]): Promise<ClusterInfo | undefined> {
  try {
    const info = await withAdmin(brokers, (admin) => admin.describeCluster());
    if (info.brokers.length === 0) return undefined;
    return { clusterId: info.clusterId, controller: info.controller, brokers: info.brokers.length };
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------------------------------ pid file / process

/** The pid of the broker infra:up started, when that process is still alive; stale pid files are removed. */
export function runningBrokerPid(): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(KAFKA.pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
    const cmd = commandLineOf(pid);
    // A recycled pid must not be mistaken for our broker (and must never be killed by infra:down).
    if (cmd === undefined || (cmd.includes(MAIN_CLASS) && cmd.includes(KAFKA.serverProperties))) return pid;
  }
  rmSync(KAFKA.pidFile, { force: true });
  return undefined;
}

/** The broker version, from the kafka_2.13-<version>.jar in `.okc/kafka/lib` (undefined before the first up). */
export function jarVersion(): string | undefined {
  try {
    for (const name of readdirSync(KAFKA.lib)) {
      const m = /^kafka_2\.13-(\d[\w.-]*)\.jar$/.exec(name);
      if (m) return m[1];
    }
  } catch {
    // no lib folder yet
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------------------ lock

/**
 * One infra:up / infra:down at a time per checkout (two `npm test` runs may start together). The lock file holds
 * the owner's pid; a lock whose owner is gone is taken over.
 */
export async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(KAFKA.home, { recursive: true });
  const deadline = Date.now() + 180_000;
  let told = false;
  for (;;) {
    try {
      const fd = openSync(KAFKA.lockFile, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(KAFKA.lockFile, 'utf8').trim() || '0');
      if (!owner || !processAlive(owner)) {
        rmSync(KAFKA.lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new InfraError(`Another infra command (pid ${owner}) holds ${KAFKA.lockFile}.`);
      if (!told) say.step(`waiting for another infra command (pid ${owner}) to finish`);
      told = true;
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    try {
      if (readFileSync(KAFKA.lockFile, 'utf8').trim() === String(process.pid)) unlinkSync(KAFKA.lockFile);
    } catch {
      // already gone
    }
  }
}

// ------------------------------------------------------------------------------------------- prerequisites

function javaMajor(java: string): number {
  const run = spawnSync(java, ['-version'], { encoding: 'utf8' });
  const m = /version "(\d+)(?:\.(\d+))?/.exec(`${run.stderr}${run.stdout}`);
  if (!m) return 0;
  return m[1] === '1' ? Number(m[2]) : Number(m[1]);
}

function requireJava(): string {
  const java = which('java');
  if (!java)
    throw new InfraError('Java is not installed (no `java` on PATH); Kafka 4 needs Java 17+.', INSTALL_HINT);
  const major = javaMajor(java);
  if (major < 17)
    throw new InfraError(`Kafka 4 needs Java 17 or newer; \`java\` is ${major || 'unknown'}.`, INSTALL_HINT);
  return java;
}

function pomDigest(): string {
  return createHash('sha256').update(readFileSync(KAFKA.pom)).digest('hex');
}

/** Collects the broker's runtime classpath from Maven Central once (again only when the pom changes). */
function ensureJars(): void {
  const marker = path.join(KAFKA.lib, '.pom-sha256');
  const digest = pomDigest();
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === digest && jarVersion()) return;
  const mvn = which('mvn');
  if (!mvn)
    throw new InfraError(
      'Maven is not installed (no `mvn` on PATH); it fetches the Kafka jars.',
      INSTALL_HINT,
    );
  const started = Date.now();
  say.step('resolving the Kafka jars from Maven Central (first run only)');
  const staging = `${KAFKA.lib}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const run = spawnSync(
    mvn,
    [
      '-B',
      '-q',
      '-f',
      KAFKA.pom,
      'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${staging}`,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
  );
  if (run.error || run.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    const out = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new InfraError(
      `Maven could not resolve the Kafka jars (${run.error ? errorText(run.error) : `exit ${run.status}`}):\n${out}`,
    );
  }
  writeFileSync(path.join(staging, '.pom-sha256'), `${digest}\n`);
  rmSync(KAFKA.lib, { recursive: true, force: true });
  renameSync(staging, KAFKA.lib);
  say.ok(
    `Kafka ${jarVersion() ?? '?'} jars in ${path.relative(process.cwd(), KAFKA.lib) || KAFKA.lib} (${seconds(started)})`,
  );
}

// -------------------------------------------------------------------------------------------------- config

function serverProperties(s: Settings): string {
  const { host, port } = s.kafka;
  const ctl = s.kafkaControllerPort;
  return [
    '# Written by deploy/local/kafka.mts on every start; edit that file, not this one.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${host}:${ctl}`,
    `listeners=PLAINTEXT://${host}:${port},CONTROLLER://${host}:${ctl}`,
    `advertised.listeners=PLAINTEXT://${host}:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${KAFKA.data}`,
    // Topics are created explicitly by infra:up (and by tests, with their own prefix).
    'auto.create.topics.enable=false',
    'num.partitions=3',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // Otherwise every consumer-group join waits 3 s for more members.
    'group.initial.rebalance.delay.ms=0',
    // A small machine: few threads.
    'num.network.threads=2',
    'num.io.threads=4',
    'background.threads=4',
    'num.recovery.threads.per.data.dir=1',
    'num.replica.fetchers=1',
    'log.retention.hours=168',
    'log.segment.bytes=268435456',
    'delete.topic.enable=true',
    '',
  ].join('\n');
}

function log4j2Properties(): string {
  return [
    '# Written by deploy/local/kafka.mts; the broker log rolls at 20 MB, 3 files kept.',
    'status = warn',
    'name = okc-local-kafka',
    // Log4j's own shutdown hook would stop logging before the broker has finished its shutdown.
    'shutdownHook = disable',
    'appender.file.type = RollingFile',
    'appender.file.name = FILE',
    `appender.file.fileName = ${KAFKA.serverLog}`,
    `appender.file.filePattern = ${KAFKA.serverLog}.%i`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'appender.file.policies.type = Policies',
    'appender.file.policies.size.type = SizeBasedTriggeringPolicy',
    'appender.file.policies.size.size = 20MB',
    'appender.file.strategy.type = DefaultRolloverStrategy',
    'appender.file.strategy.max = 3',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.file.ref = FILE',
    'logger.request.name = kafka.request.logger',
    'logger.request.level = WARN',
    'logger.request.additivity = false',
    'logger.request.appenderRef.file.ref = FILE',
    '',
  ].join('\n');
}

function jvmArgs(): string[] {
  return [
    '-Xms256m',
    '-Xmx512m',
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${KAFKA.log4j2Properties}`,
    `-Dkafka.logs.dir=${KAFKA.logs}`,
    '-cp',
    // The JVM expands the wildcard itself.
    `${KAFKA.lib}/*`,
  ];
}

/** Formats the KRaft storage once (a fresh cluster id); later starts reuse the data. */
function formatStorageOnce(java: string): void {
  if (existsSync(path.join(KAFKA.data, 'meta.properties'))) return;
  // Like Kafka's own Uuid.randomUuid(): base64url of 16 random bytes, never starting with '-' (it would read as
  // an option on the command line).
  let clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
  const run = spawnSync(
    java,
    [
      ...jvmArgs(),
      'kafka.tools.StorageTool',
      'format',
      '--ignore-formatted',
      '-t',
      clusterId,
      '-c',
      KAFKA.serverProperties,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (run.error || run.status !== 0) {
    const out = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
    throw new InfraError(
      `Formatting the Kafka storage failed (${run.error ? errorText(run.error) : `exit ${run.status}`}):\n${out}`,
    );
  }
  say.ok(
    `Kafka storage formatted in ${path.relative(process.cwd(), KAFKA.data) || KAFKA.data} (cluster ${clusterId})`,
  );
}

function logTails(): string {
  const parts: string[] = [];
  const out = tail(KAFKA.consoleLog, 20);
  if (out) parts.push(`--- ${KAFKA.consoleLog} (last lines)\n${out}`);
  const server = tail(KAFKA.serverLog, 40);
  if (server) parts.push(`--- ${KAFKA.serverLog} (last lines)\n${server}`);
  return parts.join('\n') || '(no broker log was written)';
}

async function waitUntilReady(s: Settings, pid: number): Promise<ClusterInfo> {
  const deadline = Date.now() + s.kafkaStartTimeoutMs;
  while (Date.now() < deadline) {
    const info = await describeCluster(s.kafkaBrokers);
    if (info) return info;
    if (!processAlive(pid)) {
      rmSync(KAFKA.pidFile, { force: true });
      throw new InfraError(`The Kafka broker (pid ${pid}) exited while starting.\n${logTails()}`);
    }
    await sleep(500);
  }
  throw new InfraError(
    `The Kafka broker (pid ${pid}) does not answer on ${s.kafkaBrokers.join(',')} after ${s.kafkaStartTimeoutMs / 1000} s.\n${logTails()}`,
    `It is left running; stop it with \`npm run infra:down\`.`,
  );
}

// ------------------------------------------------------------------------------------------------- up / down

export interface KafkaUp {
  readonly version: string | undefined;
  readonly pid: number | undefined;
  readonly cluster: ClusterInfo;
  readonly how: 'started' | 'reused' | 'reused-foreign' | 'waited';
  readonly took: string;
}

export async function ensureKafka(s: Settings): Promise<KafkaUp> {
  const began = Date.now();
  const where = `${s.kafka.host}:${s.kafka.port}`;
  const existing = await describeCluster(s.kafkaBrokers);
  const ownPid = runningBrokerPid();
  if (existing) {
    return {
      version: jarVersion(),
      pid: ownPid,
      cluster: existing,
      how: ownPid ? 'reused' : 'reused-foreign',
      took: seconds(began),
    };
  }
  if (!isLoopback(s.kafka.host)) {
    throw new InfraError(
      `Kafka at ${where} does not answer, and infra:up starts brokers only on a loopback address.`,
      'Start that broker, or unset KAFKA_BROKERS to use the local one.',
    );
  }
  if (ownPid) {
    // Started by an earlier infra:up and still coming up (or hung): wait for it rather than start a second one.
    say.step(`waiting for the Kafka broker started earlier (pid ${ownPid})`);
    const cluster = await waitUntilReady(s, ownPid);
    return { version: jarVersion(), pid: ownPid, cluster, how: 'waited', took: seconds(began) };
  }
  for (const port of [s.kafka.port, s.kafkaControllerPort]) {
    if (await tcpOpen(s.kafka.host, port)) {
      throw new InfraError(
        `Port ${s.kafka.host}:${port} is taken by a process that is not a Kafka broker started by infra:up.`,
        'Stop that process, or choose other ports with KAFKA_BROKERS / KAFKA_CONTROLLER_PORT.',
      );
    }
  }

  const java = requireJava();
  mkdirSync(KAFKA.logs, { recursive: true });
  mkdirSync(KAFKA.data, { recursive: true });
  ensureJars();
  writeFileSync(KAFKA.serverProperties, serverProperties(s));
  writeFileSync(KAFKA.log4j2Properties, log4j2Properties());
  formatStorageOnce(java);

  const out = openSync(KAFKA.consoleLog, 'a');
  const child = spawn(java, [...jvmArgs(), MAIN_CLASS, KAFKA.serverProperties], {
    cwd: KAFKA.home,
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const pid = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => resolve(child.pid ?? 0));
  });
  child.unref();
  writeFileSync(KAFKA.pidFile, `${pid}\n`);
  const cluster = await waitUntilReady(s, pid);
  return { version: jarVersion(), pid, cluster, how: 'started', took: seconds(began) };
}

export type KafkaDown =
  | { readonly stopped: true; readonly pid: number; readonly killed: boolean; readonly took: string }
  | { readonly stopped: false; readonly foreign: boolean };

export async function stopKafka(s: Settings): Promise<KafkaDown> {
  const pid = runningBrokerPid();
  if (!pid) return { stopped: false, foreign: (await describeCluster(s.kafkaBrokers)) !== undefined };
  const began = Date.now();
  process.kill(pid, 'SIGTERM');
  let killed = false;
  const termDeadline = Date.now() + 30_000;
  while (processAlive(pid) && Date.now() < termDeadline) await sleep(250);
  if (processAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    killed = true;
    const killDeadline = Date.now() + 10_000;
    while (processAlive(pid) && Date.now() < killDeadline) await sleep(100);
  }
  if (processAlive(pid)) throw new InfraError(`The Kafka broker (pid ${pid}) survived SIGKILL.`);
  rmSync(KAFKA.pidFile, { force: true });
  return { stopped: true, pid, killed, took: seconds(began) };
}
