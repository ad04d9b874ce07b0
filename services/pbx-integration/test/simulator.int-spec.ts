import path from 'node:path';
import { freePort } from '@okc/testing';
import {
  createConnection,
  ledgerMismatches,
  spawnSimulator,
  useSimulatorTest,
  waitForLedgerCalls,
} from './support/simulator-process';

/**
 * The whole way, on real parts: tools/pbx-simulator (its own process, seeded traffic, as fast as possible)
 * → pbx-integration (AMI link, normalizer, fact writer, outbox relay) → the Kafka broker. The canonical events
 * read back from Kafka must be exactly what the simulator's ledger says happened: every call once, its
 * direction, its queue outcome, its answer and its end — nothing lost, nothing doubled.
 */
describe('pbx-integration: simulator → pbx-integration → Kafka', () => {
  const t = useSimulatorTest();

  it('delivers exactly the canonical events the ledger implies', async () => {
    const simulator = await spawnSimulator(
      [
        ...['--tenant', 'acme', '--fast', '--calls', '40', '--agents', '4', '--seed', '11'],
        ...['--calls-per-hour', '900', '--ledger', path.join(t.dir, 'ledger.json')],
      ],
      await freePort(),
    );
    t.simulator = simulator;
    await createConnection(t.h, 'acme', simulator.port);
    // Traffic starts at the first login; the simulator exits once the last call has ended.
    await simulator.finished(240_000);
    const ledger = simulator.ledger();
    expect(ledger.length).toBeGreaterThanOrEqual(40);
    expect(simulator.stderr()).toContain('calls:');

    await waitForLedgerCalls(t.events, ledger, 120_000);
    expect(ledgerMismatches(ledger, t.events)).toEqual([]);
    expect(new Set(t.events.map((e) => e.id)).size).toBe(t.events.length);
  }, 300_000); // a simulator process, a service and Kafka on two shared cores: minutes under load, seconds alone
});
