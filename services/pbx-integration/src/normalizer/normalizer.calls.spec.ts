import type { CanonicalFact } from './facts';
import { AmiScenario } from './testing/ami-scenario';
import { callFacts, contractViolations, duplicateFactKeys, onlyCallFact } from './testing/fact-checks';
import {
  TENANT,
  answerMember,
  enterQueue,
  incomingTrunkCall,
  ringMember,
  testNormalizer,
} from './testing/scenarios';

function run(s: AmiScenario, normalizer = testNormalizer()): CanonicalFact[] {
  const facts = s.run(normalizer);
  expect(contractViolations(facts, TENANT)).toEqual([]);
  expect(duplicateFactKeys(facts)).toEqual([]);
  return facts;
}

function typesOf(facts: readonly CanonicalFact[], callId: string): string[] {
  return facts.filter((f) => f.topic === 'telephony.calls.v1' && f.key === callId).map((f) => f.type);
}

describe('normalizer: an internal call, extension to extension', () => {
  const s = new AmiScenario();
  const alice = s.channel('PJSIP/101-00000001', '1764070000.1', {
    context: 'from-internal',
    exten: '102',
    callerNum: '101',
    callerName: 'Alice',
  });
  const bob = s.channel('PJSIP/102-00000002', '1764070000.2', {
    linkedid: alice.linkedid,
    context: 'from-internal',
    exten: '102',
    state: '0',
  });
  s.newchannel(alice).after(0.01).newchannel(bob).dialBegin(alice, bob, '102');
  s.after(6).dialEnd(alice, bob, 'ANSWER').bridgeEnter(alice, 'b-int', 1).bridgeEnter(bob, 'b-int', 2);
  s.after(40).hangup(bob).hangup(alice);
  const facts = run(s);

  it('is internal, from 101 to 102, announced when 102 starts ringing', () => {
    const started = onlyCallFact(facts, 'call.started');
    expect(started.data).toMatchObject({
      direction: 'internal',
      callerNumber: '101',
      callerName: 'Alice',
      calleeNumber: '102',
      did: null,
    });
    expect(started.occurredAt).toBe('2026-11-25T10:00:00.000Z');
  });

  it('is answered by the callee’s interface when they are bridged, outside any queue', () => {
    const answered = onlyCallFact(facts, 'call.answered');
    expect(answered.data).toMatchObject({ agentInterface: 'PJSIP/102', queue: null, waitSeconds: null });
    expect(answered.occurredAt).toBe('2026-11-25T10:00:06.010Z');
    expect(typesOf(facts, alice.linkedid)).toEqual(['call.started', 'call.answered', 'call.ended']);
    expect(onlyCallFact(facts, 'call.ended').data.durationSeconds).toBe(46.01);
  });
});

describe('normalizer: an inbound call to an extension reached through a Local channel (follow-me)', () => {
  const s = new AmiScenario();
  const customer = incomingTrunkCall(s, '1764070050.1');
  const linkedid = customer.linkedid;
  const one = s.channel('Local/102@followme-00000010;1', '1764070050.2', { linkedid, state: '0' });
  const two = s.channel('Local/102@followme-00000010;2', '1764070050.3', { linkedid, context: 'followme' });
  const phone = s.channel('PJSIP/102-00000011', '1764070050.4', { linkedid, state: '0' });
  s.newchannel(one).newchannel(two).localBridge(one, two).dialBegin(customer, one, 'Local/102@followme/n');
  s.newchannel(phone).dialBegin(two, phone, '102');
  // The phone answers: first the Local `;2` is bridged with it, then the customer with `;1`.
  s.after(5).bridgeEnter(phone, 'b-agent', 1).bridgeEnter(two, 'b-agent', 2);
  s.bridgeEnter(one, 'b-customer', 1).bridgeEnter(customer, 'b-customer', 2);
  s.after(30).hangup(customer).hangup(one).hangup(two).hangup(phone);
  const facts = run(s);

  it('is answered once, by the phone at the end of the Local hop', () => {
    expect(onlyCallFact(facts, 'call.started').data.direction).toBe('inbound');
    const answered = onlyCallFact(facts, 'call.answered');
    expect(answered.data).toMatchObject({ agentInterface: 'PJSIP/102', queue: null, waitSeconds: null });
    expect(answered.occurredAt).toBe('2026-11-25T10:00:05.000Z');
  });
});

describe('normalizer: an outbound call through the trunk', () => {
  const s = new AmiScenario();
  const agent = s.channel('PJSIP/101-00000003', '1764070100.1', {
    context: 'from-internal',
    exten: '979160000002',
    callerNum: '101',
    callerName: 'Alice',
  });
  // FreePBX dials out from a macro at extension `s`: the number is only in the Dial string.
  const trunk = s.channel('PJSIP/provider-00000004', '1764070100.2', {
    linkedid: agent.linkedid,
    context: 'from-pstn',
    exten: 's',
    state: '0',
  });
  s.newchannel(agent);
  agent.context = 'macro-dialout-trunk';
  agent.exten = 's';
  s.after(1).newchannel(trunk).dialBegin(agent, trunk, '79160000002@provider');
  s.after(9).dialEnd(agent, trunk, 'ANSWER').bridgeEnter(agent, 'b-out', 1).bridgeEnter(trunk, 'b-out', 2);
  s.after(20).hangup(trunk, '16', 'Normal Clearing').hangup(agent, '0', 'Unknown');
  const facts = run(s);

  it('is outbound, to the dialled number, though the trunk leg is created in an inbound context', () => {
    expect(onlyCallFact(facts, 'call.started').data).toMatchObject({
      direction: 'outbound',
      callerNumber: '101',
      calleeNumber: '79160000002',
      did: null,
    });
  });

  it('is answered (by the customer) for the agent who placed it, and ends with the trunk leg’s cause', () => {
    expect(onlyCallFact(facts, 'call.answered').data.agentInterface).toBe('PJSIP/101');
    expect(onlyCallFact(facts, 'call.ended').data).toMatchObject({ cause: 16, causeText: 'Normal Clearing' });
  });

  it('is outbound as soon as it runs in an outbound context, whatever the trunk channel is named', () => {
    const s2 = new AmiScenario();
    const a = s2.channel('PJSIP/101-00000005', '1764070200.1', {
      context: 'from-internal',
      exten: '79160000002',
    });
    const out = s2.channel('IAX2/carrier-9', '1764070200.2', { linkedid: a.linkedid, state: '0' });
    s2.newchannel(a);
    a.context = 'outbound-allroutes';
    s2.newchannel(out).dialBegin(a, out, 'carrier/79160000002');
    expect(onlyCallFact(run(s2), 'call.started').data).toMatchObject({
      direction: 'outbound',
      calleeNumber: '79160000002',
    });
  });
});

describe('normalizer: click-to-call (Originate: the agent’s phone first, then the customer)', () => {
  const s = new AmiScenario();
  const phone = s.channel('PJSIP/101-00000006', '1764070300.1', {
    context: 'from-internal',
    exten: 's',
    callerNum: '101',
    callerName: 'Alice',
    state: '0',
  });
  const trunk = s.channel('PJSIP/provider-00000007', '1764070300.2', {
    linkedid: phone.linkedid,
    context: 'from-pstn',
    state: '0',
  });
  s.newchannel(phone).dialBegin(null, phone, '101');
  s.after(3).dialEnd(null, phone, 'ANSWER');
  // Answered, the phone's channel runs the Originate's Context/Exten: it dials the customer.
  phone.state = '6';
  phone.exten = '79160000002';
  const normalizer = testNormalizer();
  const ringingAgent = run(s, normalizer);
  const rest = new AmiScenario('2026-11-25T10:00:03.000Z');
  rest.newchannel(trunk).dialBegin(phone, trunk, '79160000002@provider');
  rest.after(7).dialEnd(phone, trunk, 'ANSWER').bridgeEnter(phone, 'b-c2c', 1).bridgeEnter(trunk, 'b-c2c', 2);
  rest.after(60).hangup(trunk).hangup(phone);
  const facts = [...ringingAgent, ...run(rest, normalizer)];

  it('announces nothing while only the agent’s phone rings', () => {
    expect(ringingAgent).toEqual([]);
  });

  it('is one outbound call to the customer, started when the agent’s leg was created', () => {
    const started = onlyCallFact(facts, 'call.started');
    expect(started.data).toMatchObject({
      direction: 'outbound',
      callerNumber: '101',
      calleeNumber: '79160000002',
    });
    expect(started.occurredAt).toBe('2026-11-25T10:00:00.000Z');
    expect(onlyCallFact(facts, 'call.answered').data.agentInterface).toBe('PJSIP/101');
    expect(typesOf(facts, phone.linkedid)).toEqual(['call.started', 'call.answered', 'call.ended']);
  });

  it('is outbound too when the Originate dials the customer first (a dialer)', () => {
    const s2 = new AmiScenario();
    const customer = s2.channel('PJSIP/provider-00000008', '1764070400.1', {
      context: 'from-pstn',
      state: '0',
    });
    s2.newchannel(customer).dialBegin(null, customer, '79160000009@provider');
    expect(onlyCallFact(run(s2), 'call.started').data).toMatchObject({
      direction: 'outbound',
      calleeNumber: '79160000009',
    });
  });
});

/** An inbound queue call answered by Agent 101 (Local member), to transfer or hold. */
function answeredQueueCall(s: AmiScenario, uid: string) {
  const caller = incomingTrunkCall(s, uid);
  enterQueue(s, caller, 'support');
  const legs = ringMember(s, caller, 'support', '101', [`${uid}2`, `${uid}3`, `${uid}4`]);
  s.after(5);
  answerMember(s, caller, legs, 'support', 5, `b-${uid}`);
  return { caller, legs };
}

describe('normalizer: hold', () => {
  const s = new AmiScenario();
  const { caller, legs } = answeredQueueCall(s, '1764070500.1');
  s.after(10).hold(legs.phone).hold(legs.phone); // the second is AMI repeating itself
  s.after(30).unhold(legs.phone).unhold(legs.phone);
  s.after(5).hold(legs.phone);
  s.after(5).unhold(legs.phone);
  s.after(5).hangup(caller).hangup(legs.one).hangup(legs.two).hangup(legs.phone);
  const facts = run(s);

  it('pairs each hold with its resume, ignoring repeats, and names the agent behind the phone', () => {
    const held = callFacts(facts, 'call.held');
    const resumed = callFacts(facts, 'call.resumed');
    expect(held.map((f) => f.occurredAt)).toEqual(['2026-11-25T10:00:15.000Z', '2026-11-25T10:00:50.000Z']);
    expect(resumed.map((f) => f.occurredAt)).toEqual([
      '2026-11-25T10:00:45.000Z',
      '2026-11-25T10:00:55.000Z',
    ]);
    // The phone PJSIP/101-… was dialled by Local/101@agents-…;2, the member leg of Local/101@agents/n.
    expect([...held, ...resumed].map((f) => f.data.agentInterface)).toEqual(
      Array(4).fill('Local/101@agents/n'),
    );
  });
});

describe('normalizer: blind transfer', () => {
  const s = new AmiScenario();
  const { caller, legs } = answeredQueueCall(s, '1764070600.1');
  s.after(20).blindTransfer(legs.phone, caller, '102', 'from-internal');
  s.blindTransfer(legs.phone, caller, '102', 'from-internal'); // repeated
  s.hangup(legs.phone).hangup(legs.two).hangup(legs.one);
  const ext102 = s.channel('PJSIP/102-00000009', '1764070621.9', { linkedid: caller.linkedid, state: '0' });
  s.newchannel(ext102).dialBegin(caller, ext102, '102');
  s.after(4).bridgeEnter(ext102, 'b-102', 1).bridgeEnter(caller, 'b-102', 2);
  s.after(30).hangup(caller).hangup(ext102);
  const facts = run(s);

  it('reports one blind transfer from the agent to extension 102, then 102 answering', () => {
    expect(onlyCallFact(facts, 'call.transferred').data).toMatchObject({
      kind: 'blind',
      fromInterface: 'Local/101@agents/n',
      target: '102',
    });
    expect(callFacts(facts, 'call.answered').map((f) => f.data.agentInterface)).toEqual([
      'Local/101@agents/n',
      'PJSIP/102',
    ]);
    expect(callFacts(facts, 'call.ended')).toHaveLength(1);
  });
});

describe('normalizer: attended transfer', () => {
  const s = new AmiScenario();
  // The customer calls extension 101 directly.
  const customer = incomingTrunkCall(s, '1764070700.1');
  const agent = s.channel('PJSIP/101-0000000a', '1764070700.2', { linkedid: customer.linkedid, state: '0' });
  s.newchannel(agent).dialBegin(customer, agent, '101');
  s.after(3).bridgeEnter(agent, 'b-1', 1).bridgeEnter(customer, 'b-1', 2);
  // 101 consults 102 on a second call of its own.
  s.after(20);
  const consult = s.channel('PJSIP/101-0000000b', '1764070723.3', {
    context: 'from-internal',
    exten: '102',
    callerNum: '101',
  });
  const target = s.channel('PJSIP/102-0000000c', '1764070723.4', { linkedid: consult.linkedid, state: '0' });
  s.newchannel(consult).newchannel(target).dialBegin(consult, target, '102');
  s.after(2).bridgeEnter(consult, 'b-2', 1).bridgeEnter(target, 'b-2', 2);
  // 101 completes the transfer: Asterisk moves 102 into the customer's bridge, under the customer's Linkedid.
  s.after(10).attendedTransfer({
    origTransferer: agent,
    secondTransferer: consult,
    transferee: customer,
    target,
  });
  s.bridgeLeave(agent, 'b-1', 1).hangup(agent);
  s.bridgeLeave(target, 'b-2', 1);
  target.linkedid = customer.linkedid;
  s.bridgeEnter(target, 'b-1', 2).hangup(consult);
  s.after(60).hangup(customer).hangup(target);
  const facts = run(s);

  it('reports the transfer on the customer’s call, from 101 to 102', () => {
    expect(onlyCallFact(facts, 'call.transferred')).toMatchObject({
      key: customer.linkedid,
      data: { kind: 'attended', fromInterface: 'PJSIP/101', target: 'PJSIP/102' },
    });
  });

  it('has 101 then 102 answer the customer, and ends the customer’s call once', () => {
    expect(typesOf(facts, customer.linkedid)).toEqual([
      'call.started',
      'call.answered',
      'call.transferred',
      'call.answered',
      'call.ended',
    ]);
    const answered = callFacts(facts, 'call.answered').filter((f) => f.key === customer.linkedid);
    expect(answered.map((f) => f.data.agentInterface)).toEqual(['PJSIP/101', 'PJSIP/102']);
    const ended = callFacts(facts, 'call.ended').find((f) => f.key === customer.linkedid);
    expect(ended?.occurredAt).toBe('2026-11-25T10:01:35.000Z');
  });

  it('keeps the consultation as its own internal call, ended when its last channel left it', () => {
    expect(typesOf(facts, consult.linkedid)).toEqual(['call.started', 'call.answered', 'call.ended']);
    expect(callFacts(facts, 'call.started').find((f) => f.key === consult.linkedid)?.data.direction).toBe(
      'internal',
    );
    expect(callFacts(facts, 'call.ended').find((f) => f.key === consult.linkedid)?.occurredAt).toBe(
      '2026-11-25T10:00:35.000Z',
    );
  });
});
