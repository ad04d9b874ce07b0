import path from 'node:path';
import { splitTranscript, replayableEvents } from '../src/replay/replay';
import { startSimulator } from '../src/simulator';
import { AmiTestClient } from '../src/testing/ami-test-client';
import { FIXTURE_DIR, fixtureBytes } from '../src/testing/fixtures';

describe('replay of a recorded transcript', () => {
  it('plays the recorded events to a logged-in client, as fast as possible', async () => {
    const sim = await startSimulator({
      port: 0,
      fast: true,
      replay: { file: path.join(FIXTURE_DIR, 'answered.ami'), speed: 0 },
    });
    const client = await AmiTestClient.connect(sim.port);
    try {
      await client.loginMd5('okc', 'okc', { Events: 'off' });
      await sim.done;
      await client.action({ Action: 'Ping' });
      const expected = replayableEvents(splitTranscript(fixtureBytes('answered')));
      const received = client.events();
      expect(received.map((m) => m.headers['event'])).toEqual(
        expected.map((f) => f.message.headers['event']),
      );
      const join = received.find((m) => m.headers['event'] === 'QueueCallerJoin')!;
      expect(join.headers['uniqueid']).toBe('1795637069.106');
      expect(join.headers['timestamp']).not.toBe('1795637069.420500');
    } finally {
      client.close();
      await sim.stop();
    }
  });
});
