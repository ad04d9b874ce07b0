/**
 * PBX integration benchmark (`npm run bench:pbx`, not a test). Writes tools/bench/results/pbx.json with:
 * 1. AMI frames parsed per second on one core (the @okc/ami parser over the real Asterisk 22 frames);
 * 2. canonical events per second sustained from an AMI server to Kafka: pbx-integration runs as its own
 *    process on a fresh database; an AMI server on 127.0.0.1 sends calls (the real answered-call transcript,
 *    re-numbered per call and re-stamped with the current time) as fast as the link reads them; this process
 *    counts the canonical events arriving on the Kafka topic;
 * 3. latency from AMI receipt to Kafka at a paced 1,000 canonical events/s: each event's `occurredAt` is the
 *    send time stamped into the AMI `Timestamp:` header (same machine, same clock), measured when this
 *    process's consumer receives it (an upper bound of "to Kafka ack").
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AmiParser, formatAmiMessage, parseAmiTranscript } from '@okc/ami';
import { FakeAsterisk } from '@okc/ami/testing';
import { startTestIssuer } from '@okc/auth/testing';
import { TOPICS } from '@okc/contracts';
import {
  createTestDatabase,
  createTestTopics,
  freePort,
  getTestInfra,
  runServiceScript,
  startServiceProcess,
  testKafka,
  waitFor,
} from '@okc/testing';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(ROOT, 'fixtures/asterisk-22/answered.ami');
const PARSE_MB = Number(process.env.BENCH_PARSE_MB ?? 64);
const SUSTAIN_SECONDS = Number(process.env.BENCH_SUSTAIN_SECONDS ?? 15);
const PACED_SECONDS = Number(process.env.BENCH_PACED_SECONDS ?? 15);
const PACED_EVENTS_PER_SECOND = 1000;

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;

/** 1. The parser alone on one core. */
function parserRate(): { framesPerSecond: number; megabytesPerSecond: number; frames: number } {
  const bytes = readFileSync(FIXTURE);
  const body = bytes.subarray(bytes.indexOf(0x0a) + 1);
  const copies = Math.ceil((PARSE_MB * 1024 * 1024) / body.length);
  const stream = Buffer.concat(Array.from({ length: copies }, () => body));
  let frames = 0;
  const parser = new AmiParser({ onMessage: () => void frames++ });
  const chunk = 64 * 1024;
  const started = performance.now();
  for (let at = 0; at < stream.length; at += chunk) parser.push(stream.subarray(at, at + chunk));
  const seconds = (performance.now() - started) / 1000;
  return {
    framesPerSecond: Math.round(frames / seconds),
    megabytesPerSecond: round(stream.length / 1048576 / seconds),
    frames,
  };
}

/** The events of one answered call, re-numbered as call `n` and stamped `now`: AMI text ready to send. */
function callFactory(): { perCall: number; make: (n: number, nowSec: number) => string } {
  const { messages } = parseAmiTranscript(readFileSync(FIXTURE));
  const events = messages.filter((m) => m.headers.event !== undefined);
  const template = events
    .map((m) => {
      const fields: Record<string, string | readonly string[]> = {};
      for (const [key, value] of Object.entries(m.headers)) fields[key] = m.repeated?.[key] ?? value;
      return formatAmiMessage(fields);
    })
    .join('');
  return {
    perCall: events.length,
    make: (n, nowSec) =>
      template
        .replace(/1795637069\.(1\d\d)/g, (_m, seq: string) => `${1800000000 + n}.${seq}`)
        .replace(/^timestamp: .*$/gm, `timestamp: ${nowSec.toFixed(6)}`),
  };
}

async function main(): Promise<void> {
  const parse = parserRate();
  console.log('parser', parse);

  const infra = await getTestInfra();
  const suffix = randomBytes(3).toString('hex');
  const topicPrefix = `${infra.topicPrefix}bench${suffix}.`;
  await createTestTopics(
    infra,
    [
      TOPICS.pbxCommands,
      TOPICS.pbxCommandResults,
      TOPICS.pbxModes,
      TOPICS.telephonyCalls,
      TOPICS.telephonyAgents,
    ],
    undefined,
    topicPrefix,
  );
  const database = await createTestDatabase(infra, `bench_pbx_${suffix}`);
  const issuer = await startTestIssuer();
  const pbx = await FakeAsterisk.start();
  const port = await freePort();
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DB_HOST: database.config.host,
    DB_PORT: String(database.config.port),
    DB_USER: database.config.user,
    DB_PASSWORD: database.config.password,
    DB_NAME: database.config.database,
    REDIS_URL: infra.redisUrl,
    REDIS_KEY_PREFIX: `${infra.redisKeyPrefix}bench${suffix}:`,
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: topicPrefix,
    PBX_SPOOL_DIR: path.join(os.tmpdir(), `okc-bench-spool-${suffix}`),
    ...issuer.env,
  };
  runServiceScript('pbx-integration', 'migrate.ts', env);
  const service = await startServiceProcess('pbx-integration', port, env);
  const consumer = testKafka(infra, `bench-${suffix}`).consumer({ groupId: `bench-${suffix}` });
  try {
    await waitFor(
      'pbx-integration to be ready',
      async () => (await fetch(`${service.url}/health/ready`)).ok,
      60_000,
    );
    const admin = await issuer.mint({ sub: 'bench', tenant: 'bench', roles: ['admin'] });
    const created = await fetch(`${service.url}/api/v1/pbx/connections`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'bench',
        host: '127.0.0.1',
        port: pbx.port,
        username: 'okc',
        secret: pbx.secret,
        directionRules: { inboundContexts: ['from-trunk'] },
      }),
    });
    if (created.status !== 201)
      throw new Error(`connection not created: ${created.status} ${await created.text()}`);
    await waitFor('the link to log in', () => pbx.connections.some((c) => c.loggedIn) || undefined, 30_000);

    // Kafka side: count and time every canonical call event.
    const arrivals: { at: number; occurredAt: number }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: `${topicPrefix}${TOPICS.telephonyCalls}`, fromBeginning: true });
    await consumer.run({
      eachBatch: ({ batch }) => {
        const at = Date.now();
        for (const message of batch.messages) {
          const event = JSON.parse(message.value!.toString()) as { occurredAt: string };
          arrivals.push({ at, occurredAt: Date.parse(event.occurredAt) });
        }
        return Promise.resolve();
      },
    });

    const calls = callFactory();
    // Canonical call events per answered call: measured on a first call (warm-up).
    pbx.broadcastRaw(calls.make(0, Date.now() / 1000));
    await waitFor('the warm-up call', () => arrivals.length >= 4 || undefined, 60_000);
    await new Promise((r) => setTimeout(r, 3000));
    const perCall = arrivals.length;
    arrivals.length = 0;
    let n = 1;

    // 2. Sustained: keep the link's socket fed (bounded by what it has not read yet), count arrivals.
    const sustainStart = Date.now();
    const sendUntil = sustainStart + SUSTAIN_SECONDS * 1000;
    const socket = pbx.connections.find((c) => c.loggedIn)!.socket;
    while (Date.now() < sendUntil) {
      if (socket.writableLength < 4 * 1024 * 1024) {
        const batch: string[] = [];
        for (let i = 0; i < 20; i++) batch.push(calls.make(n++, Date.now() / 1000));
        socket.write(batch.join(''));
      } else await new Promise((r) => setTimeout(r, 5));
    }
    const sentCalls = n - 1;
    await waitFor(
      'the sustained calls to drain',
      async () => {
        const before = arrivals.length;
        await new Promise((r) => setTimeout(r, 3000));
        return arrivals.length === before || undefined;
      },
      600_000,
    );
    const sustained = arrivals.filter((a) => a.at <= sendUntil + 60_000);
    const lastAt = Math.max(...sustained.map((a) => a.at));
    const sustainedRate = sustained.length / ((lastAt - sustainStart) / 1000);
    const amiRate = (sentCalls * calls.perCall) / ((lastAt - sustainStart) / 1000);
    console.log('sustained', {
      calls: sentCalls,
      events: sustained.length,
      eventsPerSecond: Math.round(sustainedRate),
    });
    arrivals.length = 0;

    // 3. Paced at 1,000 canonical events/s: latency from AMI send (stamped) to Kafka receipt.
    const callsPerSecond = PACED_EVENTS_PER_SECOND / perCall;
    const pacedStart = Date.now();
    let due = 0;
    while (Date.now() < pacedStart + PACED_SECONDS * 1000) {
      const target = Math.floor(((Date.now() - pacedStart) / 1000) * callsPerSecond);
      const batch: string[] = [];
      while (due < target) {
        batch.push(calls.make(n++, Date.now() / 1000));
        due++;
      }
      if (batch.length) socket.write(batch.join(''));
      await new Promise((r) => setTimeout(r, 10));
    }
    await waitFor(
      'the paced calls to arrive',
      () => arrivals.length >= due * perCall || undefined,
      120_000,
    ).catch(() => undefined);
    // Events of a call are stamped when sent; ended calls' last events wait for the end grace (2 s of event time
    // within the transcript's own spacing is gone here: all events of a call carry the same stamp).
    const latencies = arrivals.map((a) => a.at - a.occurredAt).sort((a, b) => a - b);

    const result = {
      benchmark: 'pbx',
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
      setup: {
        traffic: `the real Asterisk 22 answered-call transcript (${calls.perCall} AMI events, ${perCall} canonical call events per call), re-numbered per call`,
        processes:
          'pbx-integration one node process (TypeScript through @swc-node/register); AMI server, load and Kafka consumer in the bench process; MariaDB, Redis and Kafka on the same 2 vCPUs',
      },
      parser: parse,
      sustained: {
        seconds: SUSTAIN_SECONDS,
        calls: sentCalls,
        canonicalEvents: sustained.length,
        canonicalEventsPerSecond: Math.round(sustainedRate),
        amiEventsPerSecond: Math.round(amiRate),
      },
      paced: {
        targetCanonicalEventsPerSecond: PACED_EVENTS_PER_SECOND,
        seconds: PACED_SECONDS,
        events: latencies.length,
        expected: due * perCall,
        latencyMs: {
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          p99: percentile(latencies, 99),
          max: latencies.at(-1) ?? NaN,
        },
      },
      targets: { framesPerSecond: 100_000, canonicalEventsPerSecond: 10_000, p99LatencyMs: 50 },
    };
    mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    writeFileSync(path.join(__dirname, 'results', 'pbx.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await service.close();
    await pbx.close();
    await issuer.close();
    await database.drop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
