import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TOPICS } from '@okc/contracts';
import { freePort, testKafka, waitFor } from '@okc/testing';
import type { Consumer } from 'kafkajs';
import { type PbxHarness, startPbxHarness } from './support/pbx-harness';

const ROOT = path.resolve(__dirname, '../../..');

interface LedgerCall {
  callId: string;
  direction: string;
  origin: string;
  queue: string | null;
  outcome: string | null;
  agent: string | null;
  endedAt: string | null;
  segments: { queue: string; outcome: string | null }[];
}

interface Event {
  type: string;
  data: Record<string, unknown> & { callId: string };
}

/**
 * The whole way, on real parts: tools/pbx-simulator (its own process, seeded traffic, as fast as possible)
 * → pbx-integration (AMI link, normalizer, fact writer, outbox relay) → the Kafka broker. The canonical events
 * read back from Kafka must be exactly what the simulator's ledger says happened: every call once, its
 * direction, its queue outcome, its answer and its end — nothing lost, nothing doubled.
 */
describe('pbx-integration: simulator → pbx-integration → Kafka', () => {
  let h: PbxHarness;
  let simulator: ChildProcess;
  let consumer: Consumer;
  let dir: string;
  const events: Event[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'okc-sim-'));
    h = await startPbxHarness();
    consumer = testKafka(h.infra, `sim-${Date.now()}`).consumer({ groupId: `sim-test-${Date.now()}` });
    await consumer.connect();
    await consumer.subscribe({
      topic: `${h.env.KAFKA_TOPIC_PREFIX}${TOPICS.telephonyCalls}`,
      fromBeginning: true,
    });
    await consumer.run({
      eachMessage: ({ message }) => {
        events.push(JSON.parse(message.value!.toString()) as Event);
        return Promise.resolve();
      },
    });
  });

  afterAll(async () => {
    simulator?.kill('SIGTERM');
    await consumer?.disconnect();
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers exactly the canonical events the ledger implies', async () => {
    const port = await freePort();
    const ledgerPath = path.join(dir, 'ledger.json');
    simulator = spawn(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        path.join(ROOT, 'tools/pbx-simulator/src/cli.ts'),
        ...['--tenant', 'acme', '--fast', '--calls', '40', '--agents', '4', '--seed', '11'],
        ...['--calls-per-hour', '900', '--port', String(port), '--ledger', ledgerPath],
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
    simulator.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => simulator.once('exit', resolve));
    await waitFor(
      'the simulator to listen',
      () =>
        new Promise<boolean>((resolve) => {
          const socket = net.connect(port, '127.0.0.1');
          socket.once('connect', () => (socket.destroy(), resolve(true)));
          socket.once('error', () => resolve(false));
        }),
    );

    const admin = await h.issuer.mint({ sub: 'boss', tenant: 'acme', roles: ['admin'] });
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
          outboundContexts: ['from-internal'],
        },
      }),
    });
    expect(created.status).toBe(201);
    // Traffic starts at the first login; the simulator exits once the last call has ended.
    const exit = await Promise.race([
      exited,
      new Promise((r) => setTimeout(() => r('still running'), 240_000)),
    ]);
    if (exit !== 0) throw new Error(`the simulator did not finish (${String(exit)}): ${stderr.slice(-2000)}`);
    const ledger = (JSON.parse(readFileSync(ledgerPath, 'utf8')) as { calls: LedgerCall[] }).calls;
    expect(ledger.length).toBeGreaterThanOrEqual(40);
    expect(stderr).toContain('calls:');

    // Every call of the ledger ends once on Kafka (and the stream has settled).
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
      120_000,
    ).catch((error: Error) => {
      // Name the calls that did not end, with what Kafka did carry for them: the one thing needed to find out why.
      const detail = unended().map((c) => {
        const seen = events.filter((e) => e.data.callId === c.callId).map((e) => e.type);
        return `${c.callId} (${c.direction}, ${c.segments.map((s) => `${s.queue}:${s.outcome}`).join(',')}): ${seen.join(',') || 'no events'}`;
      });
      throw new Error(`${error.message}; ${detail.length} of ${ledger.length} calls:\n${detail.join('\n')}`);
    });

    const byCall = new Map<string, Event[]>();
    for (const e of events) byCall.set(e.data.callId, [...(byCall.get(e.data.callId) ?? []), e]);
    // No call that the simulator did not make; each ledger call exactly once started and ended.
    expect([...byCall.keys()].sort()).toEqual(ledger.map((c) => c.callId).sort());
    const mismatches: string[] = [];
    for (const call of ledger) {
      const mine = byCall.get(call.callId) ?? [];
      const of = (type: string) => mine.filter((e) => e.type === type);
      if (of('call.started').length !== 1)
        mismatches.push(`${call.callId}: ${of('call.started').length} call.started`);
      if (of('call.ended').length !== 1)
        mismatches.push(`${call.callId}: ${of('call.ended').length} call.ended`);
      const direction = of('call.started')[0]?.data.direction;
      if (direction !== call.direction)
        mismatches.push(`${call.callId}: direction ${String(direction)} ≠ ${call.direction}`);
      // One left-queue per queue visit, with the ledger's outcome.
      const left = of('call.left-queue').map((e) => `${String(e.data.queue)}:${String(e.data.outcome)}`);
      const visits = call.segments.map((s) => `${s.queue}:${s.outcome}`);
      if (JSON.stringify(left) !== JSON.stringify(visits)) {
        mismatches.push(`${call.callId}: left-queue ${left.join(',')} ≠ ledger ${visits.join(',')}`);
      }
      const answeredInQueue = call.segments.some((s) => s.outcome === 'answered');
      const answered = of('call.answered').length > 0;
      if (answeredInQueue && !answered)
        mismatches.push(`${call.callId}: answered in a queue, no call.answered`);
      if (
        call.segments.length > 0 &&
        !call.segments.some((s) => s.outcome === 'answered') &&
        of('call.answered').some((e) => e.data.queue !== null)
      ) {
        mismatches.push(`${call.callId}: never answered in a queue, but a queue call.answered`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000); // a simulator process, a service and Kafka on two shared cores: minutes under load, seconds alone
});
