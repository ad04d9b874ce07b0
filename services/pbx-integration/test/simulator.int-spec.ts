import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@okc/testing';
import type { Consumer } from 'kafkajs';
import { type PbxHarness, startPbxHarness } from './support/pbx-harness';
import {
  type CallEvent,
  collectCallEvents,
  createConnection,
  ledgerMismatches,
  type SimulatorProcess,
  spawnSimulator,
  waitForLedgerCalls,
} from './support/simulator-process';

/**
 * The whole way, on real parts: tools/pbx-simulator (its own process, seeded traffic, as fast as possible)
 * → pbx-integration (AMI link, normalizer, fact writer, outbox relay) → the Kafka broker. The canonical events
 * read back from Kafka must be exactly what the simulator's ledger says happened: every call once, its
 * direction, its queue outcome, its answer and its end — nothing lost, nothing doubled.
 */
describe('pbx-integration: simulator → pbx-integration → Kafka', () => {
  let h: PbxHarness;
  let simulator: SimulatorProcess | undefined;
  let consumer: Consumer;
  let events: CallEvent[];
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'okc-sim-'));
    h = await startPbxHarness();
    ({ events, consumer } = await collectCallEvents(h));
  });

  afterAll(async () => {
    simulator?.process.kill('SIGTERM');
    await consumer?.disconnect();
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers exactly the canonical events the ledger implies', async () => {
    simulator = await spawnSimulator(
      [
        ...['--tenant', 'acme', '--fast', '--calls', '40', '--agents', '4', '--seed', '11'],
        ...['--calls-per-hour', '900', '--ledger', path.join(dir, 'ledger.json')],
      ],
      await freePort(),
    );
    await createConnection(h, 'acme', simulator.port);
    // Traffic starts at the first login; the simulator exits once the last call has ended.
    await simulator.finished(240_000);
    const ledger = simulator.ledger();
    expect(ledger.length).toBeGreaterThanOrEqual(40);
    expect(simulator.stderr()).toContain('calls:');

    await waitForLedgerCalls(events, ledger, 120_000);
    expect(ledgerMismatches(ledger, events)).toEqual([]);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  }, 300_000); // a simulator process, a service and Kafka on two shared cores: minutes under load, seconds alone
});
