import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { TOPICS } from '@okc/contracts';
import { testKafka, waitFor } from '@okc/testing';
import type { Consumer } from 'kafkajs';
import { type PbxHarness, startPbxHarness } from './pbx-harness';

const ROOT = path.resolve(__dirname, '../../../..');

/** A call as the simulator's ledger records it (tools/pbx-simulator, ledger.ts): what really happened. */
export interface LedgerCall {
  callId: string;
  direction: string;
  origin: string;
  queue: string | null;
  outcome: string | null;
  agent: string | null;
  startedAt: string;
  endedAt: string | null;
  segments: { queue: string; outcome: string | null }[];
}

export interface CallEvent {
  id: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown> & { callId: string };
}

/** tools/pbx-simulator in its own process, as `npm run sim` runs it. */
export interface SimulatorProcess {
  readonly port: number;
  readonly process: ChildProcess;
  /** The simulator's exit code once the last call has ended, or an error with its output after `ms`. */
  finished(ms: number): Promise<void>;
  ledger(): LedgerCall[];
  readonly stderr: () => string;
}

export async function spawnSimulator(args: readonly string[], port: number): Promise<SimulatorProcess> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      path.join(ROOT, 'tools/pbx-simulator/src/cli.ts'),
      ...args,
      '--port',
      String(port),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.node.json'),
        TZ: 'UTC',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await waitFor(
    'the simulator to listen',
    () =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect(port, '127.0.0.1');
        socket.once('connect', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
      }),
  );
  const ledgerPath = args[args.indexOf('--ledger') + 1];
  return {
    port,
    process: child,
    stderr: () => stderr,
    async finished(ms) {
      let timer: NodeJS.Timeout | undefined;
      const exit = await Promise.race([
        exited,
        new Promise((r) => (timer = setTimeout(() => r('still running'), ms))),
      ]);
      clearTimeout(timer);
      if (exit !== 0)
        throw new Error(`the simulator did not finish (${String(exit)}): ${stderr.slice(-2000)}`);
    },
    ledger() {
      if (!ledgerPath) throw new Error('the simulator was started without --ledger');
      return (JSON.parse(readFileSync(ledgerPath, 'utf8')) as { calls: LedgerCall[] }).calls;
    },
  };
}

/** Every event of telephony.calls.v1 from the start, collected as it arrives. */
export async function collectCallEvents(h: PbxHarness): Promise<{ events: CallEvent[]; consumer: Consumer }> {
  const events: CallEvent[] = [];
  const consumer = testKafka(h.infra, `calls-${Date.now()}`).consumer({
    groupId: `calls-test-${Date.now()}`,
  });
  await consumer.connect();
  await consumer.subscribe({
    topic: `${h.env.KAFKA_TOPIC_PREFIX}${TOPICS.telephonyCalls}`,
    fromBeginning: true,
  });
  await consumer.run({
    eachMessage: ({ message }) => {
      events.push(JSON.parse(message.value!.toString()) as CallEvent);
      return Promise.resolve();
    },
  });
  return { events, consumer };
}

/** Registers the simulator (or a relay in front of it) as the tenant's PBX, as an admin would. */
export async function createConnection(
  h: PbxHarness,
  tenant: string,
  port: number,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const admin = await h.issuer.mint({ sub: 'boss', tenant, roles: ['admin'] });
  const created = await fetch(`${h.url}/api/v1/pbx/connections`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Simulator',
      host: '127.0.0.1',
      port,
      username: 'okc',
      secret: 'okc',
      directionRules: {
        trunkChannelPatterns: ['PJSIP/trunk-*'],
        inboundContexts: ['from-trunk'],
      },
      ...extra,
    }),
  });
  if (created.status !== 201)
    throw new Error(`connection not created: ${created.status} ${await created.text()}`);
  return ((await created.json()) as { id: string }).id;
}

/**
 * Waits until every ledger call has ended on Kafka and the stream has settled (2 s without a new event);
 * on timeout, names the calls that did not end and what Kafka carried for each.
 */
export async function waitForLedgerCalls(
  events: CallEvent[],
  ledger: LedgerCall[],
  ms: number,
): Promise<void> {
  const unended = () => {
    const ended = new Set(events.filter((e) => e.type === 'call.ended').map((e) => e.data.callId));
    return ledger.filter((c) => !ended.has(c.callId));
  };
  await waitFor(
    'every call to end on Kafka',
    async () => {
      if (unended().length > 0) return undefined;
      const before = events.length;
      await new Promise((r) => setTimeout(r, 2000));
      return events.length === before || undefined;
    },
    ms,
  ).catch((error: Error) => {
    const detail = unended().map((c) => {
      const seen = events.filter((e) => e.data.callId === c.callId).map((e) => e.type);
      const visits = c.segments.map((s) => `${s.queue}:${s.outcome}`).join(',');
      return `${c.callId} (${c.direction}, ${visits}): ${seen.join(',') || 'no events'}`;
    });
    throw new Error(`${error.message}; ${detail.length} of ${ledger.length} calls:\n${detail.join('\n')}`);
  });
}

/**
 * What differs between the ledger (what happened on the PBX) and the canonical events: each call started and
 * ended exactly once, its direction, one call.left-queue per queue visit with the ledger's outcome, and an
 * answer for a call answered in a queue (and no queue answer for one never answered there). Empty: they agree.
 */
export function ledgerMismatches(ledger: LedgerCall[], events: CallEvent[]): string[] {
  const byCall = new Map<string, CallEvent[]>();
  for (const e of events) byCall.set(e.data.callId, [...(byCall.get(e.data.callId) ?? []), e]);
  const mismatches: string[] = [];
  // Each with what Kafka carried for its call: the first thing needed to see why.
  const miss = (callId: string, what: string) =>
    mismatches.push(`${callId}: ${what} [${(byCall.get(callId) ?? []).map((e) => e.type).join(',')}]`);
  const known = new Set(ledger.map((c) => c.callId));
  for (const callId of byCall.keys()) if (!known.has(callId)) miss(callId, 'not in the ledger');
  for (const call of ledger) {
    const mine = byCall.get(call.callId) ?? [];
    const of = (type: string) => mine.filter((e) => e.type === type);
    if (of('call.started').length !== 1) miss(call.callId, `${of('call.started').length} call.started`);
    if (of('call.ended').length !== 1) miss(call.callId, `${of('call.ended').length} call.ended`);
    const direction = of('call.started')[0]?.data.direction;
    if (direction !== call.direction) miss(call.callId, `direction ${String(direction)} ≠ ${call.direction}`);
    const left = of('call.left-queue').map((e) => `${String(e.data.queue)}:${String(e.data.outcome)}`);
    const visits = call.segments.map((s) => `${s.queue}:${s.outcome}`);
    if (JSON.stringify(left) !== JSON.stringify(visits)) {
      miss(call.callId, `left-queue ${left.join(',')} ≠ ledger ${visits.join(',')}`);
    }
    const answeredInQueue = call.segments.some((s) => s.outcome === 'answered');
    if (answeredInQueue && of('call.answered').length === 0)
      miss(call.callId, 'answered in a queue, no call.answered');
    if (
      call.segments.length > 0 &&
      !answeredInQueue &&
      of('call.answered').some((e) => e.data.queue !== null)
    ) {
      miss(call.callId, 'never answered in a queue, but a queue call.answered');
    }
  }
  return mismatches;
}

/** What a simulator test works with; `simulator` and `closers` are for the test to fill. */
export interface SimulatorTest {
  h: PbxHarness;
  /** Every telephony.calls.v1 event so far. */
  events: CallEvent[];
  /** A temporary directory (ledger, queue_log), removed after the file's tests. */
  dir: string;
  simulator?: SimulatorProcess;
  /** More to close after the tests (a relay). */
  closers: (() => Promise<void>)[];
}

/**
 * Registers the file's beforeAll/afterAll: a pbx-integration harness, a consumer of telephony.calls.v1 from
 * the start, a temporary directory; afterwards the simulator is stopped and everything closed.
 */
export function useSimulatorTest(): SimulatorTest {
  const ctx = { closers: [] } as unknown as SimulatorTest;
  let consumer: Consumer | undefined;
  beforeAll(async () => {
    ctx.dir = mkdtempSync(path.join(tmpdir(), 'okc-sim-'));
    ctx.h = await startPbxHarness();
    ({ events: ctx.events, consumer } = await collectCallEvents(ctx.h));
  });
  afterAll(async () => {
    ctx.simulator?.process.kill('SIGTERM');
    for (const close of ctx.closers) await close();
    await consumer?.disconnect();
    await ctx.h?.close();
    if (ctx.dir) rmSync(ctx.dir, { recursive: true, force: true });
  });
  return ctx;
}
