import { AmiScenario } from './testing/ami-scenario';
import {
  agentFacts,
  callFacts,
  contractViolations,
  duplicateFactKeys,
  onlyCallFact,
  seconds,
} from './testing/fact-checks';
import {
  CONNECTION,
  CUSTOMER,
  DID,
  TENANT,
  answerMember,
  enterQueue,
  incomingTrunkCall,
  ringMember,
  ringNoAnswer,
  testNormalizer,
} from './testing/scenarios';
import type { CanonicalFact } from './facts';

function run(s: AmiScenario, options: Parameters<typeof testNormalizer>[0] = {}): CanonicalFact[] {
  const facts = s.run(testNormalizer(options));
  expect(contractViolations(facts, TENANT)).toEqual([]);
  expect(duplicateFactKeys(facts)).toEqual([]);
  return facts;
}

function callTypes(facts: readonly CanonicalFact[]): string[] {
  return facts.filter((f) => f.topic === 'telephony.calls.v1').map((f) => f.type);
}

describe('normalizer: a queue call answered by its first agent', () => {
  const s = new AmiScenario('2026-11-25T10:00:00.000Z');
  const caller = incomingTrunkCall(s, '1764064800.1');
  s.after(2);
  enterQueue(s, caller, 'support');
  s.after(0.5);
  const legs = ringMember(s, caller, 'support', '101', ['1764064802.2', '1764064802.3', '1764064802.4']);
  s.after(12);
  answerMember(s, caller, legs, 'support', 12, 'b-1');
  s.after(95);
  // The customer hangs up; Asterisk then tears down the agent legs (with another cause here, to tell them apart).
  s.hangup(caller, '16', 'Normal Clearing');
  s.hangup(legs.one, '0', 'Unknown').hangup(legs.two, '0', 'Unknown').hangup(legs.phone, '0', 'Unknown');
  const facts = run(s, { resolveAgent: (iface) => (iface === 'Local/101@agents/n' ? 'user-101' : null) });

  it('tells the call’s story in order, once each', () => {
    expect(callTypes(facts)).toEqual([
      'call.started',
      'call.queued',
      'call.offered',
      'call.left-queue',
      'call.answered',
      'call.ended',
    ]);
    expect(facts.every((f) => f.topic !== 'telephony.calls.v1' || f.key === '1764064800.1')).toBe(true);
  });

  it('starts it inbound at the trunk channel’s creation, from the customer, to the DID', () => {
    const started = onlyCallFact(facts, 'call.started');
    expect(started.occurredAt).toBe('2026-11-25T10:00:00.000Z');
    expect(started.data).toEqual({
      callId: '1764064800.1',
      connectionId: CONNECTION,
      direction: 'inbound',
      callerNumber: CUSTOMER,
      callerName: 'Ivan Petrov',
      calleeNumber: DID,
      did: DID,
    });
  });

  it('offers it to the member interface and maps the interface to its user', () => {
    expect(onlyCallFact(facts, 'call.offered').data).toMatchObject({
      agentInterface: 'Local/101@agents/n',
      agentUserId: 'user-101',
      queue: 'support',
      screenPop: null,
    });
  });

  it('records an answered exit after 12.5 s of waiting, at the QueueCallerLeave', () => {
    const left = onlyCallFact(facts, 'call.left-queue');
    expect(left.data).toMatchObject({
      queue: 'support',
      outcome: 'answered',
      waitSeconds: 12.5,
      position: 1,
    });
    expect(left.occurredAt).toBe('2026-11-25T10:00:14.500Z');
    const answered = onlyCallFact(facts, 'call.answered');
    expect(answered.data).toMatchObject({
      agentInterface: 'Local/101@agents/n',
      agentUserId: 'user-101',
      queue: 'support',
      waitSeconds: 12.5,
    });
  });

  it('ends it when its last channel hangs up, with the customer leg’s cause', () => {
    const ended = onlyCallFact(facts, 'call.ended');
    expect(ended.occurredAt).toBe('2026-11-25T10:01:49.500Z');
    expect(ended.data).toMatchObject({ cause: 16, causeText: 'Normal Clearing', durationSeconds: 109.5 });
    expect(seconds(onlyCallFact(facts, 'call.answered').occurredAt, ended.occurredAt)).toBe(95);
  });
});

describe('normalizer: a caller who hangs up while waiting', () => {
  function abandonAfter(waitSeconds: number): CanonicalFact[] {
    const s = new AmiScenario();
    const caller = incomingTrunkCall(s, '1764064900.1');
    s.after(1);
    enterQueue(s, caller, 'support', 3);
    s.after(waitSeconds);
    s.queueAbandon(caller, 'support', 2, waitSeconds).queueLeave(caller, 'support', 2);
    s.hangup(caller);
    return run(s);
  }

  it('is abandoned, with its wait and the position it had reached', () => {
    const facts = abandonAfter(40);
    expect(onlyCallFact(facts, 'call.queued').data.position).toBe(3);
    expect(onlyCallFact(facts, 'call.left-queue').data).toMatchObject({
      outcome: 'abandoned',
      waitSeconds: 40,
      position: 2,
    });
    expect(callFacts(facts, 'call.answered')).toEqual([]);
    expect(callFacts(facts, 'call.ended')).toHaveLength(1);
  });

  it('carries the short wait of a short abandon (a report classifies it with shortAbandonSec)', () => {
    const left = onlyCallFact(abandonAfter(3), 'call.left-queue');
    expect(left.data).toMatchObject({ outcome: 'abandoned', waitSeconds: 3 });
  });

  it('is abandoned even when QueueCallerAbandon/Leave were lost and only the hangup is seen', () => {
    const s = new AmiScenario();
    const caller = incomingTrunkCall(s, '1764064950.1');
    enterQueue(s, caller, 'support');
    s.after(7).hangup(caller);
    expect(onlyCallFact(run(s), 'call.left-queue').data).toMatchObject({
      outcome: 'abandoned',
      waitSeconds: 7,
    });
  });
});

describe('normalizer: exits that QUEUESTATUS tells apart', () => {
  function exitWith(queueStatus: string | null, options: { varSetsFlow: boolean }): CanonicalFact[] {
    const s = new AmiScenario();
    const caller = incomingTrunkCall(s, '1764065000.1');
    if (options.varSetsFlow) s.varSet(caller, 'CALLERID(name)', 'Ivan Petrov');
    enterQueue(s, caller, 'support');
    s.after(60).queueLeave(caller, 'support', 1);
    s.after(0.001).varSet(caller, 'QUEUEPOSITION', '1');
    if (queueStatus !== null) s.varSet(caller, 'QUEUESTATUS', queueStatus);
    // The dialplan goes on (voicemail, IVR…) and the caller eventually hangs up.
    s.after(20).hangup(caller);
    return run(s);
  }

  it.each([
    ['TIMEOUT', 'timeout'],
    ['LEAVEEMPTY', 'exit-empty'],
    ['LEAVEUNAVAIL', 'exit-empty'],
    ['WITHDRAW', 'overflow'],
  ])('QUEUESTATUS=%s after the leave is %s, dated at the leave', (status, outcome) => {
    const left = onlyCallFact(exitWith(status, { varSetsFlow: true }), 'call.left-queue');
    expect(left.data).toMatchObject({ queue: 'support', outcome, waitSeconds: 60, position: 1 });
    expect(left.occurredAt).toBe('2026-11-25T10:01:00.000Z');
  });

  it('is a timeout, not an abandon, when app_queue sends QueueCallerAbandon before a QUEUESTATUS=TIMEOUT', () => {
    // queue_exec calls record_abandoned() on a timeout too: Abandon, Leave, then QUEUESTATUS (tools/pbx-simulator
    // and app_queue.c agree).
    const s = new AmiScenario();
    const caller = incomingTrunkCall(s, '1764065050.1');
    s.varSet(caller, 'CALLERID(name)', 'Ivan Petrov');
    enterQueue(s, caller, 'sales');
    s.after(60).queueAbandon(caller, 'sales', 1, 60);
    s.queueLeave(caller, 'sales', 1);
    s.varSet(caller, 'QUEUESTATUS', 'TIMEOUT');
    s.after(1).hangup(caller);
    expect(onlyCallFact(run(s), 'call.left-queue').data).toMatchObject({
      queue: 'sales',
      outcome: 'timeout',
    });
  });

  it('a leave with no QUEUESTATUS on a stream that carries VarSet is an exit with a key', () => {
    const facts = exitWith(null, { varSetsFlow: true });
    expect(onlyCallFact(facts, 'call.left-queue').data.outcome).toBe('exit-key');
  });

  it('without VarSet events at all (no dialplan class) an undecided leave counts as a timeout', () => {
    const s = new AmiScenario();
    const caller = incomingTrunkCall(s, '1764065100.1');
    enterQueue(s, caller, 'support');
    s.after(30).queueLeave(caller, 'support', 1);
    s.after(5).hangup(caller);
    expect(onlyCallFact(run(s), 'call.left-queue').data).toMatchObject({
      outcome: 'timeout',
      waitSeconds: 30,
    });
  });

  it('does not decide a leave before AgentConnect had its chance (it comes after the leave)', () => {
    const s = new AmiScenario();
    const caller = incomingTrunkCall(s, '1764065200.1');
    enterQueue(s, caller, 'support');
    const legs = ringMember(s, caller, 'support', '101', ['1764065200.2', '1764065200.3', '1764065200.4']);
    s.after(4);
    s.queueLeave(caller, 'support', 1);
    const normalizer = testNormalizer();
    expect(callTypes(s.run(normalizer))).not.toContain('call.left-queue');
    const next = new AmiScenario('2026-11-25T10:00:04.000Z');
    next.agentConnect(caller, legs.one, 'support', legs.iface, legs.name, 4);
    const decided = next.run(normalizer);
    expect(callTypes(decided)).toEqual(['call.left-queue', 'call.answered']);
    expect(onlyCallFact(decided, 'call.left-queue').data.outcome).toBe('answered');
  });
});

describe('normalizer: events of one answer in another order', () => {
  it('answers once, through AgentConnect, when the caller’s BridgeEnter overtakes it', () => {
    const s = new AmiScenario();
    const caller = incomingTrunkCall(s, '1764065250.1');
    enterQueue(s, caller, 'support');
    const legs = ringMember(s, caller, 'support', '101', ['1764065250.2', '1764065250.3', '1764065250.4']);
    s.after(6).dialEnd(caller, legs.one, 'ANSWER').queueLeave(caller, 'support', 1);
    s.bridgeEnter(legs.one, 'b-x', 1).bridgeEnter(caller, 'b-x', 2);
    s.agentConnect(caller, legs.one, 'support', legs.iface, legs.name, 6);
    const facts = run(s);
    expect(onlyCallFact(facts, 'call.left-queue').data).toMatchObject({
      outcome: 'answered',
      waitSeconds: 6,
    });
    expect(onlyCallFact(facts, 'call.answered').data).toMatchObject({
      agentInterface: legs.iface,
      queue: 'support',
    });
  });
});

describe('normalizer: ring-no-answer, then a second agent answers', () => {
  const s = new AmiScenario();
  const caller = incomingTrunkCall(s, '1764065300.1');
  enterQueue(s, caller, 'support');
  const first = ringMember(s, caller, 'support', '101', ['1764065300.2', '1764065300.3', '1764065300.4']);
  s.after(15);
  ringNoAnswer(s, caller, first, 'support', 15000);
  s.after(1);
  const second = ringMember(s, caller, 'support', '102', ['1764065316.5', '1764065316.6', '1764065316.7']);
  s.after(4);
  answerMember(s, caller, second, 'support', 20, 'b-2');
  s.after(30).hangup(second.phone).hangup(second.two).hangup(second.one).hangup(caller);
  const facts = run(s);

  it('offers to 101, records 101’s 15 s of ringing, offers to 102, and 102 answers', () => {
    expect(callTypes(facts)).toEqual([
      'call.started',
      'call.queued',
      'call.offered',
      'call.ring-no-answer',
      'call.offered',
      'call.left-queue',
      'call.answered',
      'call.ended',
    ]);
    expect(callFacts(facts, 'call.offered').map((f) => f.data.agentInterface)).toEqual([
      'Local/101@agents/n',
      'Local/102@agents/n',
    ]);
    expect(onlyCallFact(facts, 'call.ring-no-answer').data).toMatchObject({
      agentInterface: 'Local/101@agents/n',
      queue: 'support',
      ringSeconds: 15,
    });
    expect(onlyCallFact(facts, 'call.answered').data.agentInterface).toBe('Local/102@agents/n');
    expect(onlyCallFact(facts, 'call.left-queue').data).toMatchObject({
      outcome: 'answered',
      waitSeconds: 20,
    });
  });

  it('follows both members’ device states', () => {
    const states = agentFacts(facts, 'member.status').map((f) => `${f.data.memberName}:${f.data.status}`);
    expect(states).toEqual([
      'Agent 101:ringing',
      'Agent 101:not-in-use',
      'Agent 102:ringing',
      'Agent 102:in-use',
    ]);
  });
});

describe('normalizer: AMI repeating queue events', () => {
  it('makes one offer for a repeated AgentCalled, and a second one when the member is rung again later', () => {
    const s = new AmiScenario();
    const caller = incomingTrunkCall(s, '1764065400.1');
    enterQueue(s, caller, 'support');
    const legs = ringMember(s, caller, 'support', '101', ['1764065400.2', '1764065400.3', '1764065400.4']);
    s.agentCalled(caller, legs.one, 'support', legs.iface, legs.name); // the same ring, repeated
    s.after(5);
    ringNoAnswer(s, caller, legs, 'support', 5000);
    s.agentRingNoAnswer(caller, legs.one, 'support', legs.iface, legs.name, 5000); // repeated too
    s.after(3);
    ringMember(s, caller, 'support', '101', ['1764065408.5', '1764065408.6', '1764065408.7']);
    const facts = run(s);
    expect(callFacts(facts, 'call.offered').map((f) => f.factKey)).toEqual([
      '1764065400.1|call.offered|1|Local/101@agents/n|1',
      '1764065400.1|call.offered|1|Local/101@agents/n|2',
    ]);
    expect(callFacts(facts, 'call.ring-no-answer')).toHaveLength(1);
  });

  it('counts a second stay in a queue as a new visit with its own facts', () => {
    const s = new AmiScenario();
    const caller = incomingTrunkCall(s, '1764065500.1');
    s.varSet(caller, 'CHANNEL(language)', 'en');
    enterQueue(s, caller, 'support');
    s.after(10).queueLeave(caller, 'support', 1).varSet(caller, 'QUEUESTATUS', 'TIMEOUT');
    s.after(5);
    enterQueue(s, caller, 'overflow');
    s.after(2).queueAbandon(caller, 'overflow', 1, 2).queueLeave(caller, 'overflow', 1).hangup(caller);
    const facts = run(s);
    expect(callFacts(facts, 'call.queued').map((f) => [f.data.queue, f.factKey])).toEqual([
      ['support', '1764065500.1|call.queued|1'],
      ['overflow', '1764065500.1|call.queued|2'],
    ]);
    expect(
      callFacts(facts, 'call.left-queue').map((f) => [f.data.queue, f.data.outcome, f.data.waitSeconds]),
    ).toEqual([
      ['support', 'timeout', 10],
      ['overflow', 'abandoned', 2],
    ]);
  });
});
