import { startSimulator, type SimulatorOptions } from '../src/simulator';
import { AmiTestClient } from '../src/testing/ami-test-client';

// What a client receives over TCP from a fast simulator depends on the seed alone.

async function session(options: SimulatorOptions): Promise<{ bytes: string; ledger: string }> {
  const sim = await startSimulator({ port: 0, fast: true, ...options });
  const client = await AmiTestClient.connect(sim.port);
  try {
    // Without the system and security classes: SuccessfulAuth names the client's own TCP port.
    await client.loginMd5('okc', 'okc', { Events: 'call,agent,dialplan,cdr' });
    await sim.done;
    await client.action({ Action: 'Ping', ActionID: 'last' });
    // From the login response on (the Challenge before it is random).
    const all = Buffer.concat(client.raw).toString('utf8');
    const bytes = all.slice(all.indexOf('Message: Authentication accepted'));
    return { bytes, ledger: JSON.stringify(sim.ledger()) };
  } finally {
    client.close();
    await sim.stop();
  }
}

describe('a fast simulator over TCP', () => {
  const options: SimulatorOptions = { seed: 21, agents: 5, callsPerHour: 300, calls: 40 };

  it('sends byte-identical streams and keeps identical ledgers for the same seed', async () => {
    const first = await session(options);
    const second = await session(options);
    expect(first.bytes.length).toBeGreaterThan(50_000);
    expect(first.bytes.includes('Event: QueueCallerJoin')).toBe(true);
    expect(second.bytes === first.bytes).toBe(true);
    expect(second.ledger).toBe(first.ledger);
  });

  it('sends another stream for another seed', async () => {
    const first = await session(options);
    const other = await session({ ...options, seed: 22 });
    expect(other.bytes === first.bytes).toBe(false);
  });
});
