import type { AmiMessage } from '@okc/ami';
import { AmiScenario } from './testing/ami-scenario';
import { callFacts, contractViolations, onlyCallFact } from './testing/fact-checks';
import {
  CUSTOMER,
  enterQueue,
  incomingTrunkCall,
  ringMember,
  answerMember,
  TENANT,
  testNormalizer,
} from './testing/scenarios';

function message(fields: Record<string, string>): AmiMessage {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) headers[k.toLowerCase()] = v;
  return { headers, repeated: null };
}

describe('normalizer: end of a call', () => {
  it('waits after CEL LINKEDID_END for the customer’s Hangup, and dates the end at LINKEDID_END', () => {
    const s = new AmiScenario();
    const caller = incomingTrunkCall(s, '1764080000.1');
    s.after(10).linkedidEnd(caller);
    const normalizer = testNormalizer();
    expect(callFacts(s.run(normalizer), 'call.ended')).toEqual([]);
    const late = new AmiScenario('2026-11-25T10:00:10.200Z').hangup(caller, '17', 'User busy');
    const ended = onlyCallFact(late.run(normalizer), 'call.ended');
    expect(ended.occurredAt).toBe('2026-11-25T10:00:10.000Z');
    expect(ended.data).toMatchObject({ cause: 17, causeText: 'User busy', durationSeconds: 10 });
    expect(normalizer.activeCalls).toBe(0);
  });

  it('closes the call without a cause when the customer’s Hangup does not come within the grace', () => {
    const s = new AmiScenario();
    const caller = incomingTrunkCall(s, '1764080100.1');
    s.after(10).linkedidEnd(caller);
    const normalizer = testNormalizer({ endGraceMs: 2000 });
    s.run(normalizer);
    expect(normalizer.tick(new Date('2026-11-25T10:00:11.999Z'))).toEqual([]);
    const facts = normalizer.tick(new Date('2026-11-25T10:00:12.000Z'));
    expect(onlyCallFact(facts, 'call.ended').data).toMatchObject({ cause: null, causeText: null });
    expect(onlyCallFact(facts, 'call.ended').occurredAt).toBe('2026-11-25T10:00:10.000Z');
  });

  it('ignores events of an ended call that arrive late, and never reopens it', () => {
    const s = new AmiScenario();
    const caller = incomingTrunkCall(s, '1764080200.1');
    s.after(5).hangup(caller);
    s.after(0.1).hangup(caller).linkedidEnd(caller).hold(caller).newchannel(caller);
    const facts = s.run(testNormalizer());
    expect(facts.map((f) => f.type)).toEqual(['call.started', 'call.ended']);
  });

  it('does not open a call for the Hangup of a channel it never saw', () => {
    const s = new AmiScenario();
    s.hangup(s.channel('PJSIP/provider-000000ff', '1764080300.1', { context: 'from-pstn' }));
    const normalizer = testNormalizer();
    expect(s.run(normalizer)).toEqual([]);
    expect(normalizer.activeCalls).toBe(0);
  });

  it('closes a call whose Hangup was lost once it has been idle for the timeout, as of its last event', () => {
    const s = new AmiScenario();
    const lost = incomingTrunkCall(s, '1764080400.1');
    enterQueue(s, lost, 'support');
    const normalizer = testNormalizer({ callIdleTimeoutMs: 60 * 60 * 1000 });
    s.run(normalizer);
    expect(normalizer.activeCalls).toBe(1);
    // 59 minutes on, another call's event: the first call is not idle long enough yet.
    const later = new AmiScenario('2026-11-25T10:59:00.000Z');
    incomingTrunkCall(later, '1764083940.1', '00000002');
    expect(callFacts(later.run(normalizer), 'call.ended')).toEqual([]);
    const muchLater = new AmiScenario('2026-11-25T11:01:00.000Z');
    incomingTrunkCall(muchLater, '1764084060.1', '00000003');
    const facts = muchLater.run(normalizer);
    expect(contractViolations(facts, TENANT)).toEqual([]);
    const ended = callFacts(facts, 'call.ended');
    expect(ended.map((f) => [f.key, f.occurredAt, f.data.cause])).toEqual([
      ['1764080400.1', '2026-11-25T10:00:00.000Z', null],
    ]);
    // Its open queue stay is closed too, so no queue is left with a caller forever.
    expect(onlyCallFact(facts, 'call.left-queue').data).toMatchObject({
      queue: 'support',
      outcome: 'abandoned',
    });
    expect(normalizer.activeCalls).toBe(2);
  });

  it('keeps memory bounded: nothing is held once calls end', () => {
    const normalizer = testNormalizer();
    for (let i = 0; i < 50; i++) {
      const s = new AmiScenario(new Date(Date.parse('2026-11-25T10:00:00.000Z') + i * 60_000).toISOString());
      const uid = `17640900${String(i).padStart(2, '0')}.1`;
      const caller = incomingTrunkCall(s, uid);
      enterQueue(s, caller, 'support');
      const legs = ringMember(s, caller, 'support', '101', [`${uid}2`, `${uid}3`, `${uid}4`]);
      s.after(3);
      answerMember(s, caller, legs, 'support', 3, `b-${i}`);
      s.after(20).hangup(caller).hangup(legs.one).hangup(legs.two).hangup(legs.phone);
      expect(callFacts(s.run(normalizer), 'call.ended')).toHaveLength(1);
    }
    expect(normalizer.activeCalls).toBe(0);
    expect(normalizer.liveChannels).toBe(0);
  });
});

describe('normalizer: input it does not care about', () => {
  const at = new Date('2026-11-25T10:00:00.000Z');

  it.each<Record<string, string>>([
    {
      Event: 'Newexten',
      Channel: 'PJSIP/101-00000001',
      Uniqueid: '1.1',
      Linkedid: '1.1',
      Context: 'from-pstn',
    },
    {
      Event: 'VarSet',
      Channel: 'PJSIP/101-00000001',
      Uniqueid: '1.1',
      Linkedid: '1.1',
      Variable: 'FOO',
      Value: '1',
    },
    { Event: 'CEL', EventName: 'CHAN_START', UniqueID: '1.1', LinkedID: '1.1' },
    { Event: 'Cdr', UniqueID: '1.1', Disposition: 'ANSWERED' },
    { Event: 'DeviceStateChange', Device: 'PJSIP/101', State: 'INUSE' },
    { Event: 'RTCPSent', Channel: 'PJSIP/101-00000001' },
    { Response: 'Success', ActionID: '1', Message: 'Authentication accepted' },
    { Event: 'QueueMemberStatus', Queue: 'support', Interface: 'PJSIP/101', Status: 'nine' },
  ])('emits nothing for %o', (fields) => {
    const normalizer = testNormalizer();
    expect(normalizer.push(message(fields), at)).toEqual([]);
    expect(normalizer.activeCalls).toBe(0);
  });

  it('is deterministic: the same input gives the same output', () => {
    const build = () => {
      const s = new AmiScenario();
      const caller = incomingTrunkCall(s, '1764081000.1');
      enterQueue(s, caller, 'support');
      const legs = ringMember(s, caller, 'support', '101', ['1764081000.2', '1764081000.3', '1764081000.4']);
      s.after(8);
      answerMember(s, caller, legs, 'support', 8, 'b');
      s.after(8).hold(legs.phone).after(8).unhold(legs.phone).after(8).hangup(caller);
      return s;
    };
    expect(build().run(testNormalizer())).toEqual(build().run(testNormalizer()));
  });

  it('takes occurredAt from Timestamp when there is one, else from the receive time', () => {
    const normalizer = testNormalizer();
    const fields = { Event: 'QueueMemberPause', Queue: 'support', Interface: 'PJSIP/101', Paused: '1' };
    const stamped = normalizer.push(message({ ...fields, Timestamp: '1795637101.476307' }), at);
    expect(stamped[0]?.occurredAt).toBe('2026-11-25T20:05:01.476Z');
    const unstamped = normalizer.push(
      message({ ...fields, Paused: '0' }),
      new Date('2026-11-25T20:06:00.123Z'),
    );
    expect(unstamped[0]?.occurredAt).toBe('2026-11-25T20:06:00.123Z');
  });
});

describe('normalizer: reconcile after a reconnect', () => {
  const quiet = new Date('2026-11-25T10:00:30.000Z');

  it('closes a call gone while we were away at its last event, its queue stay as abandoned', () => {
    const s = new AmiScenario();
    const gone = incomingTrunkCall(s, '1764081000.1');
    s.after(5);
    enterQueue(s, gone, 'support');
    const normalizer = testNormalizer();
    s.run(normalizer);
    const facts = normalizer.reconcile(new Set(), quiet);
    expect(facts.map((f) => f.type)).toEqual(['call.left-queue', 'call.ended']);
    expect(onlyCallFact(facts, 'call.ended')).toMatchObject({
      occurredAt: '2026-11-25T10:00:05.000Z',
      factKey: '1764081000.1|call.ended',
    });
    expect(onlyCallFact(facts, 'call.ended').data).toMatchObject({ cause: null, durationSeconds: 5 });
    expect(onlyCallFact(facts, 'call.left-queue').data).toMatchObject({ outcome: 'abandoned' });
    expect(contractViolations(facts, TENANT)).toEqual([]);
    expect(normalizer.activeCalls).toBe(0);
  });

  it('keeps a call whose Linkedid or one of whose channels is still up', () => {
    const s = new AmiScenario();
    incomingTrunkCall(s, '1764081100.1');
    const second = incomingTrunkCall(s, '1764081100.2', '00000002');
    const normalizer = testNormalizer();
    s.run(normalizer);
    expect(normalizer.reconcile(new Set(['1764081100.1', second.uniqueid]), quiet)).toEqual([]);
    expect(normalizer.activeCalls).toBe(2);
  });

  it('keeps a call heard of after the gap began (its events are live again)', () => {
    const s = new AmiScenario('2026-11-25T10:00:31.000Z');
    incomingTrunkCall(s, '1764081200.1');
    const normalizer = testNormalizer();
    s.run(normalizer);
    expect(normalizer.reconcile(new Set(), quiet)).toEqual([]);
    expect(normalizer.activeCalls).toBe(1);
  });
});

describe('normalizer: calls found by CoreShowChannels after a (re)connect', () => {
  const now = new Date('2026-11-25T10:05:00.000Z');
  const listed = (fields: Record<string, string>) =>
    message({ Event: 'CoreShowChannel', ActionID: 'r-1', ChannelState: '6', ...fields });
  const trunk = {
    Channel: 'PJSIP/provider-00000042',
    Uniqueid: '1764082000.1',
    Linkedid: '1764082000.1',
    Context: 'ext-queues',
    Exten: '600',
    CallerIDNum: CUSTOMER,
    Duration: '00:02:00',
  };
  const agent = {
    Channel: 'PJSIP/101-00000043',
    Uniqueid: '1764082000.2',
    Linkedid: '1764082000.1',
    Context: 'from-internal',
    Exten: '',
    CallerIDNum: '101',
    Duration: '00:01:10',
  };
  const complete = message({ Event: 'CoreShowChannelsComplete', ActionID: 'r-1', ListItems: '2' });

  it('tracks an unseen call from its creation, starts it at the list’s end, and ends it at its Hangups', () => {
    const normalizer = testNormalizer();
    expect(normalizer.push(listed(trunk), now)).toEqual([]);
    expect(normalizer.push(listed(agent), now)).toEqual([]);
    const started = onlyCallFact(normalizer.push(complete, now), 'call.started');
    expect(started).toMatchObject({
      occurredAt: '2026-11-25T10:03:00.000Z',
      factKey: '1764082000.1|call.started',
    });
    expect(started.data).toMatchObject({ direction: 'inbound', callerNumber: CUSTOMER });
    const later = new Date('2026-11-25T10:06:00.000Z');
    normalizer.push(message({ Event: 'Hangup', ...agent, Cause: '16' }), later);
    const ended = normalizer.push(
      message({ Event: 'Hangup', ...trunk, Cause: '16', 'Cause-txt': 'Normal Clearing' }),
      later,
    );
    expect(onlyCallFact(ended, 'call.ended').data).toMatchObject({ cause: 16, durationSeconds: 180 });
    expect(contractViolations([started, ...ended], TENANT)).toEqual([]);
    expect(normalizer.activeCalls).toBe(0);
  });

  it('opens a queue stay missed while away from QueueEntry, so its abandon is read', () => {
    const normalizer = testNormalizer();
    normalizer.push(listed(trunk), now);
    normalizer.push(complete, now);
    const entry = message({
      Event: 'QueueEntry',
      Queue: 'support',
      Position: '2',
      Channel: trunk.Channel,
      Uniqueid: trunk.Uniqueid,
      CallerIDNum: CUSTOMER,
      Wait: '45',
    });
    const queued = onlyCallFact(normalizer.push(entry, now), 'call.queued');
    expect(queued).toMatchObject({
      occurredAt: '2026-11-25T10:04:15.000Z',
      factKey: '1764082000.1|call.queued|1',
    });
    expect(queued.data).toMatchObject({ queue: 'support', position: 2 });
    expect(normalizer.push(entry, now)).toEqual([]); // listed again: the same stay
    const gone = new Date('2026-11-25T10:05:10.000Z');
    const abandon = { Queue: 'support', Position: '1', OriginalPosition: '2', HoldTime: '55' };
    const channel = { Channel: trunk.Channel, Uniqueid: trunk.Uniqueid, Linkedid: trunk.Linkedid };
    const facts = [
      ...normalizer.push(message({ Event: 'QueueCallerAbandon', ...channel, ...abandon }), gone),
      ...normalizer.push(
        message({ Event: 'QueueCallerLeave', ...channel, Queue: 'support', Position: '1', Count: '0' }),
        gone,
      ),
      ...normalizer.push(message({ Event: 'Hangup', ...trunk, Cause: '16' }), gone),
    ];
    const left = onlyCallFact(facts, 'call.left-queue');
    expect(left.factKey).toBe('1764082000.1|call.left-queue|1');
    expect(left.data).toMatchObject({ queue: 'support', outcome: 'abandoned' });
    expect(contractViolations([queued, ...facts], TENANT)).toEqual([]);
  });

  it('adds nothing for a channel it already follows', () => {
    const s = new AmiScenario();
    incomingTrunkCall(s, '1764082100.1');
    const normalizer = testNormalizer();
    s.run(normalizer);
    const again = listed({
      ...trunk,
      Channel: 'PJSIP/provider-00000001',
      Uniqueid: '1764082100.1',
      Linkedid: '1764082100.1',
    });
    expect([...normalizer.push(again, now), ...normalizer.push(complete, now)]).toEqual([]);
    expect(normalizer.activeCalls).toBe(1);
  });

  it('reads a trunk leg of a listed call as dialled out (an outbound call in progress)', () => {
    const normalizer = testNormalizer();
    normalizer.push(listed({ ...agent, Uniqueid: '1764082200.1', Linkedid: '1764082200.1' }), now);
    normalizer.push(
      listed({ ...trunk, Uniqueid: '1764082200.2', Linkedid: '1764082200.1', Context: 'from-internal' }),
      now,
    );
    const started = onlyCallFact(normalizer.push(complete, now), 'call.started');
    expect(started.data.direction).toBe('outbound');
  });
});
