/**
 * Messaging benchmark (`npm run bench:messaging`, not a test): outbox → Kafka → consumer with inbox, against
 * raw kafkajs produce → consume of the same payloads, in one run, on this machine's MariaDB and Kafka.
 * Writes tools/bench/results/messaging.json.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { TOPICS, createEvent, type Envelope } from '@okc/contracts';
import { createDataSource, type DbConnectionConfig } from '@okc/persistence';
import {
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  getTestInfra,
  type TestInfra,
} from '@okc/testing';
import {
  InboxRecord,
  OutboxLane,
  OutboxMessage,
  OutboxRelay,
  OutboxWriter,
  createIdempotentProducer,
  createMessagingTables,
  silentLogger,
} from '@okc/messaging';

const CALLS = TOPICS.telephonyCalls;
const THROUGHPUT_EVENTS = Number(process.env.BENCH_EVENTS ?? 30_000);
const LATENCY_RATE = 1000;
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);
const WRITERS = 4;
const EVENTS_PER_TX = 50;
const KEYS = 600;

function event(i: number, occurredAt = new Date()): Envelope {
  const callId = `call-${i % KEYS}`;
  return createEvent(CALLS, {
    type: 'call.queued',
    tenantId: 'bench',
    source: 'pbx-integration',
    occurredAt,
    data: { callId, connectionId: 'pbx-bench', queue: 'support', position: 1 + Math.floor(i / KEYS) },
  });
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

function startWorker(
  mode: 'raw' | 'inbox',
  infra: TestInfra,
  prefix: string,
  extra: Record<string, string>,
): Promise<ChildProcess> {
  const child = fork(path.join(__dirname, 'messaging-consumer.worker.ts'), [], {
    execArgv: ['-r', '@swc-node/register', '--disable-warning=TimeoutNegativeWarning'],
    env: {
      ...process.env,
      MODE: mode,
      TOPIC_PREFIX: prefix,
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      ...extra,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${mode} consumer exited with ${code}`)));
    child.on('message', (m: { type: string }) => {
      if (m.type === 'ready') resolve(child);
    });
  });
}

function stopWorker(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The relay of the producing side: idempotent producer, batches of up to 1000, a 5 ms idle poll. */
async function startRelay(ds: DataSource, infra: TestInfra, prefix: string) {
  const kafka = new Kafka({
    clientId: 'bench-relay',
    brokers: infra.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const relay = new OutboxRelay(ds, producer, silentLogger, {
    service: 'bench',
    topicPrefix: prefix,
    batchSize: 1000,
    idlePollMs: 5,
  });
  return { relay, producer };
}

function dbWorkerEnv(db: DbConnectionConfig): Record<string, string> {
  return {
    DB_HOST: db.host,
    DB_PORT: String(db.port),
    DB_USER: db.user,
    DB_PASSWORD: db.password,
    DB_NAME: db.database,
  };
}

async function rawKafka(
  infra: TestInfra,
  prefix: string,
  payloads: string[],
): Promise<{ eventsPerSec: number; seconds: number }> {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING });
  const topic = `${prefix}${CALLS}`;
  const child = await startWorker('raw', infra, prefix, { EXPECTED: String(payloads.length) });
  const done = new Promise<number>((resolve) =>
    child.on('message', (m: { type: string; at?: number }) => {
      if (m.type === 'done') resolve(m.at!);
    }),
  );
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const started = Date.now();
  for (let i = 0; i < payloads.length; i += 500) {
    await producer.sendBatch({
      acks: -1,
      topicMessages: [
        {
          topic,
          messages: payloads.slice(i, i + 500).map((value, j) => ({ key: `call-${(i + j) % KEYS}`, value })),
        },
      ],
    });
  }
  const seconds = ((await done) - started) / 1000;
  await producer.disconnect();
  await stopWorker(child);
  return { eventsPerSec: payloads.length / seconds, seconds };
}

/** Raw kafkajs at the latency test's pace: one message per 1/LATENCY_RATE s, latency from occurredAt to receipt. */
async function rawLatency(infra: TestInfra, prefix: string, total: number): Promise<number[]> {
  const kafka = new Kafka({
    clientId: 'bench-raw-latency',
    brokers: infra.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const topic = `${prefix}${CALLS}`;
  const child = await startWorker('raw', infra, prefix, { EXPECTED: String(total) });
  const done = new Promise<number[]>((resolve) =>
    child.on('message', (m: { type: string; latencies?: number[] }) => {
      if (m.type === 'done') resolve(m.latencies!);
    }),
  );
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const start = performance.now();
  const sends: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / LATENCY_RATE - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const e = event(i);
    sends.push(
      producer.send({ topic, acks: -1, messages: [{ key: `call-${i % KEYS}`, value: JSON.stringify(e) }] }),
    );
  }
  await Promise.all(sends);
  const latencies = (await done).sort((a, b) => a - b);
  await producer.disconnect();
  await stopWorker(child);
  return latencies;
}

async function inboxCount(ds: DataSource): Promise<number> {
  const [row] = await ds.query<{ n: number | string }[]>(
    "SELECT COUNT(*) AS n FROM inbox WHERE consumer = 'bench'",
  );
  return Number(row?.n ?? 0);
}

/**
 * Writers and the relay run here (the producing service); the inbox consumer runs in a child process (the
 * consuming service). Done when the inbox holds every event.
 */
async function pipeline(
  ds: DataSource,
  db: DbConnectionConfig,
  infra: TestInfra,
  prefix: string,
  drive: (writer: OutboxWriter) => Promise<number>,
): Promise<{
  seconds: number;
  total: number;
  latenciesMs: number[];
  relayLatenciesMs: number[];
  writeSeconds: number;
}> {
  const { relay, producer } = await startRelay(ds, infra, prefix);
  const child = await startWorker('inbox', infra, prefix, dbWorkerEnv(db));
  relay.start();
  const started = Date.now();
  const writer = new OutboxWriter(); // the relay wakes after each commit that added rows
  const total = await drive(writer);
  const writeSeconds = (Date.now() - started) / 1000;
  while ((await inboxCount(ds)) < total) await new Promise((r) => setTimeout(r, 20));
  const seconds = (Date.now() - started) / 1000;
  // Latency per event: outbox row created_at (written by the producing side) → inbox row received_at (the consumer).
  const rows = await ds.query<{ ms: string | number; relayMs: string | number }[]>(
    `SELECT TIMESTAMPDIFF(MICROSECOND, o.created_at, i.received_at) / 1000 AS ms,
            TIMESTAMPDIFF(MICROSECOND, o.created_at, o.sent_at) / 1000 AS relayMs
       FROM inbox i JOIN outbox o ON o.event_id = i.event_id WHERE i.consumer = 'bench'`,
  );
  await relay.stop();
  await stopWorker(child);
  await producer.disconnect();
  return {
    seconds,
    total,
    latenciesMs: rows.map((r) => Number(r.ms)).sort((a, b) => a - b),
    // Outbox row written → relay got Kafka's ack (the rest is Kafka → consumer → inbox commit).
    relayLatenciesMs: rows.map((r) => Number(r.relayMs)).sort((a, b) => a - b),
    writeSeconds,
  };
}

/** WRITERS concurrent writers, EVENTS_PER_TX events per transaction, THROUGHPUT_EVENTS in all. */
async function writeConcurrently(ds: DataSource, writer: OutboxWriter): Promise<number> {
  let next = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < THROUGHPUT_EVENTS) {
        const from = next;
        next += EVENTS_PER_TX;
        const slice: Envelope[] = [];
        for (let i = from; i < Math.min(from + EVENTS_PER_TX, THROUGHPUT_EVENTS); i++) slice.push(event(i));
        await ds.transaction((m) =>
          writer.add(
            m,
            ...slice.map((e) => ({ topic: CALLS, key: (e.data as { callId: string }).callId, event: e })),
          ),
        );
      }
    }),
  );
  return THROUGHPUT_EVENTS;
}

/**
 * The same path one stage at a time, to see which stage limits it: all writes first, then the relay drains
 * the outbox, then a consumer applies the topic through the inbox.
 */
async function stages(
  ds: DataSource,
  db: DbConnectionConfig,
  infra: TestInfra,
  prefix: string,
): Promise<{ writeEventsPerSec: number; relayEventsPerSec: number; inboxConsumerEventsPerSec: number }> {
  let started = Date.now();
  const total = await writeConcurrently(ds, new OutboxWriter());
  const writeEventsPerSec = total / ((Date.now() - started) / 1000);
  const { relay, producer } = await startRelay(ds, infra, prefix);
  started = Date.now();
  relay.start();
  while ((await relay.pending()) > 0) await new Promise((r) => setTimeout(r, 20));
  const relayEventsPerSec = total / ((Date.now() - started) / 1000);
  await relay.stop();
  await producer.disconnect();
  const child = await startWorker('inbox', infra, prefix, dbWorkerEnv(db));
  while ((await inboxCount(ds)) < total) await new Promise((r) => setTimeout(r, 20));
  // The consumer's own span, first inbox row to last (group join and start-up excluded).
  const [span] = await ds.query<{ ms: string | number }[]>(
    "SELECT TIMESTAMPDIFF(MICROSECOND, MIN(received_at), MAX(received_at)) / 1000 AS ms FROM inbox WHERE consumer = 'bench'",
  );
  const inboxConsumerEventsPerSec = total / (Number(span?.ms ?? 0) / 1000);
  await stopWorker(child);
  return { writeEventsPerSec, relayEventsPerSec, inboxConsumerEventsPerSec };
}

async function reset(ds: DataSource): Promise<void> {
  await ds.query('TRUNCATE TABLE outbox');
  await ds.query('TRUNCATE TABLE inbox');
  await ds.query('TRUNCATE TABLE effect');
}

async function main(): Promise<void> {
  const infra = await getTestInfra();
  const db = await createTestDatabase(infra, 'bench');
  const ds = createDataSource(db.config, {
    service: 'bench',
    entities: [OutboxMessage, OutboxLane, InboxRecord],
    poolSize: 20,
  });
  await ds.initialize();
  const qr = ds.createQueryRunner();
  await createMessagingTables(qr);
  await qr.release();
  await ds.query(
    'CREATE TABLE effect (id BIGINT AUTO_INCREMENT PRIMARY KEY, event_id CHAR(36) NOT NULL, call_id VARCHAR(64) NOT NULL)',
  );

  const payloads = Array.from({ length: THROUGHPUT_EVENTS }, (_, i) => JSON.stringify(event(i)));
  try {
    const rawPrefix = `${infra.topicPrefix}raw.`;
    await createTestTopics({ ...infra, topicPrefix: rawPrefix }, [CALLS]);
    console.log(`raw kafkajs: ${THROUGHPUT_EVENTS} events…`);
    const raw = await rawKafka(infra, rawPrefix, payloads);
    console.log(`  ${round(raw.eventsPerSec)} events/s`);

    const tpPrefix = `${infra.topicPrefix}tp.`;
    await createTestTopics({ ...infra, topicPrefix: tpPrefix }, [CALLS]);
    console.log(
      `outbox → Kafka → inbox: ${THROUGHPUT_EVENTS} events, ${WRITERS} writers, ${EVENTS_PER_TX} events per transaction…`,
    );
    const writeAll = (writer: OutboxWriter) => writeConcurrently(ds, writer);
    const tp = await pipeline(ds, db.config, infra, tpPrefix, writeAll);
    const outboxRate = tp.total / tp.seconds;
    console.log(
      `  ${round(outboxRate)} events/s end to end (writes alone took ${round(tp.writeSeconds, 2)} s)`,
    );

    await reset(ds);
    const stPrefix = `${infra.topicPrefix}st.`;
    await createTestTopics({ ...infra, topicPrefix: stPrefix }, [CALLS]);
    console.log('stages, one at a time…');
    const st = await stages(ds, db.config, infra, stPrefix);
    console.log(
      `  writes ${round(st.writeEventsPerSec)}/s, relay ${round(st.relayEventsPerSec)}/s, inbox consumer ${round(st.inboxConsumerEventsPerSec)}/s`,
    );

    await reset(ds);
    const latPrefix = `${infra.topicPrefix}lat.`;
    await createTestTopics({ ...infra, topicPrefix: latPrefix }, [CALLS]);
    const latTotal = LATENCY_RATE * LATENCY_SECONDS;
    console.log(`latency: ${LATENCY_RATE} events/s for ${LATENCY_SECONDS} s, one event per transaction…`);
    const lat = await pipeline(ds, db.config, infra, latPrefix, async (writer) => {
      // An open-loop schedule: event i is due at i ms; up to 16 writes in flight; late writes are not skipped.
      const start = performance.now();
      let inFlight = 0;
      const pending: Promise<void>[] = [];
      for (let i = 0; i < latTotal; i++) {
        const due = start + (i * 1000) / LATENCY_RATE;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        while (inFlight >= 16) await Promise.race(pending);
        inFlight++;
        const p: Promise<void> = ds
          .transaction((m) => writer.add(m, { topic: CALLS, key: `call-${i % KEYS}`, event: event(i) }))
          .finally(() => {
            inFlight--;
            void pending.splice(pending.indexOf(p), 1);
          });
        pending.push(p);
      }
      await Promise.all(pending);
      return latTotal;
    });
    const achievedRate = lat.total / lat.writeSeconds;
    const rawLatPrefix = `${infra.topicPrefix}rawlat.`;
    await createTestTopics({ ...infra, topicPrefix: rawLatPrefix }, [CALLS]);
    const rawLat = await rawLatency(infra, rawLatPrefix, latTotal);
    console.log(
      `  raw kafkajs at the same pace: p50 ${round(percentile(rawLat, 50))} ms, p99 ${round(percentile(rawLat, 99))} ms`,
    );
    const p50 = percentile(lat.latenciesMs, 50);
    const p99 = percentile(lat.latenciesMs, 99);
    console.log(
      `  offered ${round(achievedRate)} events/s; p50 ${round(p50)} ms, p99 ${round(p99)} ms (of which until the relay's ack: p50 ${round(percentile(lat.relayLatenciesMs, 50))} ms, p99 ${round(percentile(lat.relayLatenciesMs, 99))} ms)`,
    );

    const result = {
      benchmark: 'messaging',
      when: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version, memoryGiB: round(os.totalmem() / 2 ** 30) },
      setup: {
        events: THROUGHPUT_EVENTS,
        payloadBytes: payloads[0]!.length,
        partitions: 6,
        keys: KEYS,
        writers: WRITERS,
        eventsPerTransaction: EVENTS_PER_TX,
        database: 'local MariaDB (innodb_flush_log_at_trx_commit=1)',
        broker: 'local Kafka 4.1.2, single node, acks=all, idempotent producer',
      },
      rawKafkajs: { eventsPerSec: round(raw.eventsPerSec) },
      outboxInbox: {
        eventsPerSec: round(outboxRate),
        shareOfRaw: round(outboxRate / raw.eventsPerSec, 3),
      },
      rawKafkajsLatencyAt1000PerSec: {
        p50Ms: round(percentile(rawLat, 50)),
        p99Ms: round(percentile(rawLat, 99)),
      },
      stagesAlone: {
        writeEventsPerSec: round(st.writeEventsPerSec),
        relayEventsPerSec: round(st.relayEventsPerSec),
        inboxConsumerEventsPerSec: round(st.inboxConsumerEventsPerSec),
      },
      latencyAt1000PerSec: {
        offeredEventsPerSec: round(achievedRate),
        events: lat.latenciesMs.length,
        p50Ms: round(p50),
        p99Ms: round(p99),
        untilRelayAckedP50Ms: round(percentile(lat.relayLatenciesMs, 50)),
        untilRelayAckedP99Ms: round(percentile(lat.relayLatenciesMs, 99)),
        maxMs: round(lat.latenciesMs.at(-1) ?? NaN),
        measured:
          'outbox row created_at (producing process) → inbox row received_at (consuming process), same machine clock',
      },
      targets: { outboxEventsPerSec: 5000, shareOfRaw: 0.5, p99MsAt1000: 100 },
      met: {
        outboxEventsPerSec: outboxRate >= 5000,
        shareOfRaw: outboxRate / raw.eventsPerSec >= 0.5,
        p99At1000: p99 < 100,
      },
    };
    const out = path.resolve(__dirname, 'results/messaging.json');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  } finally {
    await ds.destroy();
    await db.drop();
    await deleteTestTopics(infra).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
