import { AmiActionTracker } from './ami-action-tracker';
import type { AmiTimers } from './ami-client.types';
import type { AmiError } from './ami-errors';
import type { AmiMessage } from './ami-message';

/** Timers fired by hand: a timeout happens exactly when the test says so. */
function manualTimers() {
  const due = new Map<number, () => void>();
  let next = 0;
  const timers: AmiTimers = {
    setTimeout: (callback) => {
      due.set(++next, callback);
      return next;
    },
    clearTimeout: (handle) => void due.delete(handle as number),
  };
  return { timers, due };
}

const msg = (headers: Record<string, string>): AmiMessage => ({ headers, repeated: null });

const outcome = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ value, error: null }),
    (error: unknown) => ({ value: null, error: error as AmiError }),
  );

describe('AmiActionTracker', () => {
  it('matches responses in any order by ActionID', async () => {
    const { timers, due } = manualTimers();
    const tracker = new AmiActionTracker(timers);
    const a = tracker.track('1', 'DBGet', false, 1000);
    const b = tracker.track('2', 'DBGet', false, 1000);
    expect(tracker.route(msg({ response: 'Success', actionid: '2', val: 'B' }))).toBe('action');
    expect(tracker.route(msg({ response: 'Success', actionid: '1', val: 'A' }))).toBe('action');
    expect((await a).response.headers.val).toBe('A');
    expect((await b).response.headers.val).toBe('B');
    expect(tracker.size).toBe(0);
    expect(due.size).toBe(0);
  });

  it('collects list events, even ones before the response, and leaves other events alone', async () => {
    const { timers } = manualTimers();
    const tracker = new AmiActionTracker(timers);
    const list = tracker.track('q', 'QueueStatus', true, 1000);
    expect(tracker.route(msg({ event: 'QueueParams', actionid: 'q' }))).toBe('action');
    expect(tracker.route(msg({ response: 'Success', actionid: 'q', eventlist: 'start' }))).toBe('action');
    expect(tracker.route(msg({ event: 'Newchannel' }))).toBe('event');
    expect(tracker.route(msg({ event: 'QueueMember', actionid: 'q' }))).toBe('action');
    expect(tracker.size).toBe(1);
    expect(tracker.route(msg({ event: 'QueueStatusComplete', actionid: 'q', eventlist: 'Complete' }))).toBe(
      'action',
    );
    const result = await list;
    expect(result.events.map((e) => e.headers.event)).toEqual(['QueueParams', 'QueueMember']);
    expect(result.complete?.headers.event).toBe('QueueStatusComplete');
  });

  it('treats events of a plain action (OriginateResponse) as ordinary events', async () => {
    const { timers } = manualTimers();
    const tracker = new AmiActionTracker(timers);
    const originate = tracker.track('o', 'Originate', false, 1000);
    expect(tracker.route(msg({ event: 'OriginateResponse', actionid: 'o' }))).toBe('event');
    tracker.route(msg({ response: 'Success', actionid: 'o' }));
    await originate;
    expect(tracker.route(msg({ event: 'OriginateResponse', actionid: 'o' }))).toBe('event');
  });

  it('rejects Response: Error with the response, for plain and list actions', async () => {
    const { timers } = manualTimers();
    const tracker = new AmiActionTracker(timers);
    const plain = outcome(tracker.track('1', 'DBGet', false, 1000));
    const list = outcome(tracker.track('2', 'QueueStatus', true, 1000));
    tracker.route(msg({ response: 'Error', actionid: '1', message: 'Database entry not found' }));
    tracker.route(msg({ response: 'Error', actionid: '2' }));
    expect((await plain).error).toMatchObject({
      code: 'ACTION_FAILED',
      message: 'DBGet: Database entry not found',
    });
    expect((await plain).error?.response?.headers.message).toBe('Database entry not found');
    expect((await list).error).toMatchObject({ code: 'ACTION_FAILED', message: 'QueueStatus: no message' });
  });

  it('times out one action, counts it, and drops the late events of a timed-out list', async () => {
    const { timers, due } = manualTimers();
    const timedOut: string[] = [];
    const tracker = new AmiActionTracker(timers, (action) => timedOut.push(action));
    const list = outcome(tracker.track('q', 'QueueStatus', true, 1000));
    const [fire] = [...due.values()];
    const other = tracker.track('p', 'Ping', false, 1000);
    fire!();
    expect((await list).error).toMatchObject({ code: 'ACTION_TIMEOUT' });
    expect(timedOut).toEqual(['QueueStatus']);
    expect(tracker.route(msg({ response: 'Success', actionid: 'q', eventlist: 'start' }))).toBe('unmatched');
    expect(tracker.route(msg({ event: 'QueueMember', actionid: 'q' }))).toBe('dropped');
    expect(tracker.route(msg({ event: 'QueueStatusComplete', actionid: 'q', eventlist: 'Complete' }))).toBe(
      'dropped',
    );
    // After its Complete, the ActionID is forgotten.
    expect(tracker.route(msg({ event: 'QueueMember', actionid: 'q' }))).toBe('event');
    tracker.route(msg({ response: 'Success', actionid: 'p', ping: 'Pong' }));
    expect((await other).response.headers.ping).toBe('Pong');
  });

  it('rejects everything pending on rejectAll and clears the timers', async () => {
    const { timers, due } = manualTimers();
    const tracker = new AmiActionTracker(timers);
    const all = [tracker.track('1', 'A', false, 1000), tracker.track('2', 'B', true, 1000)].map(outcome);
    tracker.rejectAll({ code: 'DISCONNECTED' } as AmiError);
    for (const result of await Promise.all(all)) expect(result.error).toEqual({ code: 'DISCONNECTED' });
    expect(tracker.size).toBe(0);
    expect(due.size).toBe(0);
  });
});
