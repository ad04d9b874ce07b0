import path from 'node:path';
import { freePort, waitFor } from '@okc/testing';
import {
  createConnection,
  ledgerMismatches,
  spawnSimulator,
  useSimulatorTest,
  waitForLedgerCalls,
} from './support/simulator-process';
import { TcpRelay } from './support/tcp-relay';

/**
 * Disconnect mid-traffic: the AMI connection is cut while calls flow (a relay between pbx-integration and the
 * simulator drops it and refuses new connections for a while), then comes back. Calls that started, queued,
 * were answered or ended in the gap reach Kafka anyway, from the re-sync (QueueStatus, CoreShowChannels) and
 * the queue_log backfill; what AMI had already delivered is not delivered twice.
 */
describe('pbx-integration: disconnect mid-traffic', () => {
  const t = useSimulatorTest();

  it('loses and doubles nothing across the gap, after re-sync and queue_log backfill', async () => {
    const queueLog = path.join(t.dir, 'queue_log');
    // Real time × 10 (30 calls over about 12 s), starting at the first login. Seed 21's calls are all inbound
    // queue calls: queue_log records those. A call that never queued and lived only inside the gap would leave
    // no trace there (that takes the CDR; see the service README).
    const simulator = await spawnSimulator(
      [
        ...['--tenant', 'acme', '--speed', '10', '--wait-for-client', '--calls', '30', '--agents', '4'],
        ...['--seed', '21', '--calls-per-hour', '900', '--ledger', path.join(t.dir, 'ledger.json')],
        ...['--queue-log', queueLog],
      ],
      await freePort(),
    );
    t.simulator = simulator;
    const relay = await TcpRelay.start(simulator.port);
    t.closers.push(() => relay.close());
    await createConnection(t.h, 'acme', relay.port, { queueLogPath: queueLog });

    const started = () =>
      new Set(t.events.filter((e) => e.type === 'call.started').map((e) => e.data.callId));
    await waitFor('the first calls on Kafka', () => started().size >= 6 || undefined, 60_000);
    const beforeGap = started();
    relay.cut();
    // Long enough for calls to begin and end unseen (≈ 2 virtual minutes): the relay refuses the reconnects.
    await new Promise((r) => setTimeout(r, 4000));
    relay.restore();

    await simulator.finished(180_000);
    const ledger = simulator.ledger();
    expect(relay.connections).toBeGreaterThanOrEqual(2);
    await waitForLedgerCalls(t.events, ledger, 120_000);

    // The gap really hid calls: some began after the cut and were never seen live before it.
    const inGap = ledger.filter((c) => !beforeGap.has(c.callId));
    expect(inGap.length).toBeGreaterThan(0);
    expect(ledgerMismatches(ledger, t.events)).toEqual([]);
    // Nothing doubled: no event twice, and no call fact twice (the same type, call and time).
    expect(new Set(t.events.map((e) => e.id)).size).toBe(t.events.length);
    const facts = t.events.map((e) => `${e.type}|${e.data.callId}|${e.occurredAt}`);
    expect(facts.length - new Set(facts).size).toBe(0);
  }, 300_000);
});
