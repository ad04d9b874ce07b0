import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAmiTranscript, type AmiMessage } from '@okc/ami';
import type { CanonicalFact } from './facts';
import { createNormalizer, type NormalizerOptions } from './normalizer';
import {
  agentFacts,
  callFacts,
  contractViolations,
  duplicateFactKeys,
  onlyCallFact,
  seconds,
} from './testing/fact-checks';

// Raw bytes of real Asterisk 22.10.1 connections (copied from fixtures/asterisk-22), and the
// capture of PBX-ASTERISK.md §4.2 typed out as a transcript.
const FIXTURES = join(__dirname, '../../../../fixtures');
const TENANT = 'acme';

interface ExpectedCall {
  direction: string;
  queue: string;
  outcome: string;
  agent?: string;
  waitSec: number;
  talkSec?: number;
  short?: boolean;
}

function transcript(name: string): AmiMessage[] {
  return parseAmiTranscript(readFileSync(join(FIXTURES, name))).messages;
}

function expectedCall(name: string): ExpectedCall {
  const expected = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as { calls: ExpectedCall[] };
  expect(expected.calls).toHaveLength(1);
  return expected.calls[0]!;
}

/** The lab's settings: callers enter in context `from-trunk` (README of the fixtures); no real trunk channel. */
const options: NormalizerOptions = {
  tenantId: TENANT,
  connectionId: 'pbx-1',
  directionRules: { trunkChannelPatterns: ['PJSIP/provider-*'], inboundContexts: ['from-trunk'] },
};

/** Receive times one second apart from a fixed instant: only used by events without `Timestamp:`. */
function feed(messages: readonly AmiMessage[], normalizer = createNormalizer(options)): CanonicalFact[] {
  const base = Date.parse('2030-01-01T00:00:00.000Z');
  return messages.flatMap((m, i) => normalizer.push(m, new Date(base + i * 1000)));
}

describe('normalizer on the real Asterisk 22 transcript answered.ami', () => {
  const messages = transcript('asterisk-22/answered.ami');
  const facts = feed(messages);
  const expected = expectedCall('asterisk-22/answered.expected.json');
  const callId = '1795637069.106'; // Linkedid of the caller channel Local/79160000001@callers-00000035;1

  it('produces only facts that pass the contracts, each factKey once', () => {
    expect(contractViolations(facts, TENANT)).toEqual([]);
    expect(duplicateFactKeys(facts)).toEqual([]);
  });

  it('sees one inbound call from 79160000001, started at its first channel', () => {
    const started = onlyCallFact(facts, 'call.started');
    expect(started.key).toBe(callId);
    expect(started.data.direction).toBe(expected.direction);
    expect(started.data).toMatchObject({ callId, connectionId: 'pbx-1', callerNumber: '79160000001' });
    expect(started.data.callerName).toBe('Caller');
    expect(started.occurredAt).toBe('2026-11-25T20:04:29.419Z'); // Newchannel Timestamp 1795637069.419124
  });

  it('queues it in support, offers it to Agent 101 and records an answered exit after about 1 s', () => {
    expect(onlyCallFact(facts, 'call.queued').data).toMatchObject({ queue: expected.queue, position: 1 });
    expect(onlyCallFact(facts, 'call.offered').data).toMatchObject({
      agentInterface: 'Local/101@agents/n',
      queue: 'support',
      screenPop: null,
    });
    const left = onlyCallFact(facts, 'call.left-queue');
    expect(left.data).toMatchObject({ queue: expected.queue, outcome: expected.outcome, position: 1 });
    expect(Math.abs(left.data.waitSeconds - expected.waitSec)).toBeLessThanOrEqual(1);
    // QueueCallerJoin at …069.420500, QueueCallerLeave at …070.422622.
    expect(left.data.waitSeconds).toBeCloseTo(1.002, 3);
  });

  it('has Agent 101 answer and talk about 5 s', () => {
    const answered = onlyCallFact(facts, 'call.answered');
    expect(answered.data).toMatchObject({ agentInterface: 'Local/101@agents/n', queue: 'support' });
    expect(Math.abs(answered.data.waitSeconds! - expected.waitSec)).toBeLessThanOrEqual(1);
    // The call facts carry the interface; the member name comes with the agents topic's facts of that interface.
    const names = agentFacts(facts, 'member.status')
      .filter((f) => f.data.interface === answered.data.agentInterface)
      .map((f) => f.data.memberName);
    expect(new Set(names)).toEqual(new Set([expected.agent]));
    const ended = onlyCallFact(facts, 'call.ended');
    expect(Math.abs(seconds(answered.occurredAt, ended.occurredAt) - expected.talkSec!)).toBeLessThanOrEqual(
      1,
    );
  });

  it('ends the call once, with the customer channel’s cause', () => {
    const ended = onlyCallFact(facts, 'call.ended');
    expect(ended.data).toMatchObject({ cause: 16, causeText: 'Normal Clearing' });
    // First Newchannel …069.419124 to CEL LINKEDID_END …075.933647.
    expect(ended.data.durationSeconds).toBeCloseTo(6.514, 3);
    const order = callFacts(facts, 'call.ended').concat();
    expect(order).toHaveLength(1);
    expect(facts.filter((f) => f.topic === 'telephony.calls.v1').at(-1)?.type).toBe('call.ended');
  });

  it('follows Agent 101 ringing, in use, then free again', () => {
    const statuses = agentFacts(facts, 'member.status').filter(
      (f) => f.data.interface === 'Local/101@agents/n',
    );
    expect(statuses.map((f) => f.data.status)).toEqual(['ringing', 'in-use', 'not-in-use']);
    expect(statuses.map((f) => f.data.inCall)).toEqual([false, true, false]);
    expect(statuses[0]!.key).toBe('acme:Local/101@agents/n');
  });

  it('reports each of the three members unpaused once, though the transcript unpauses them twice', () => {
    const pauses = agentFacts(facts, 'member.paused');
    expect(pauses.map((f) => [f.data.interface, f.data.queue, f.data.paused])).toEqual([
      ['Local/101@agents/n', 'support', false],
      ['Local/102@agents/n', 'support', false],
      ['Local/103@agents/n', 'sales', false],
    ]);
  });

  it('emits no fact twice when the same transcript is fed twice through one normalizer', () => {
    const normalizer = createNormalizer(options);
    const first = feed(messages, normalizer);
    const second = feed(messages, normalizer);
    expect(first.length).toBeGreaterThan(0);
    expect(second).toEqual([]);
    expect(normalizer.activeCalls).toBe(0);
    expect(normalizer.liveChannels).toBe(0);
  });

  it('yields the same facts when every message arrives twice', () => {
    const doubled = messages.flatMap((m) => [m, m]);
    const base = Date.parse('2030-01-01T00:00:00.000Z');
    const normalizer = createNormalizer(options);
    const again = doubled.flatMap((m, i) => normalizer.push(m, new Date(base + Math.floor(i / 2) * 1000)));
    expect(again).toEqual(facts);
  });
});

describe('normalizer on the real Asterisk 22 transcript abandoned.ami', () => {
  const facts = feed(transcript('asterisk-22/abandoned.ami'));
  const expected = expectedCall('asterisk-22/abandoned.expected.json');

  it('produces only valid facts, each factKey once', () => {
    expect(contractViolations(facts, TENANT)).toEqual([]);
    expect(duplicateFactKeys(facts)).toEqual([]);
  });

  it('sees an inbound call that left support abandoned after about 8 s, not a short abandon', () => {
    expect(onlyCallFact(facts, 'call.started').data).toMatchObject({
      callId: '1795637101.114',
      direction: expected.direction,
      callerNumber: '79160000003',
    });
    expect(onlyCallFact(facts, 'call.queued').data.queue).toBe(expected.queue);
    const left = onlyCallFact(facts, 'call.left-queue');
    expect(left.data).toMatchObject({ queue: expected.queue, outcome: expected.outcome, position: 1 });
    expect(Math.abs(left.data.waitSeconds - expected.waitSec)).toBeLessThanOrEqual(1);
    // METRICS.md: short abandon = wait ≤ shortAbandonSec (5).
    expect(left.data.waitSeconds > 5).toBe(!expected.short);
  });

  it('never offers or answers it, and ends it once', () => {
    expect(callFacts(facts, 'call.offered')).toEqual([]);
    expect(callFacts(facts, 'call.answered')).toEqual([]);
    const ended = onlyCallFact(facts, 'call.ended');
    // LINKEDID_END (…109.547397) comes before the caller channel's Hangup: the cause is still that Hangup's.
    expect(ended.occurredAt).toBe('2026-11-25T20:05:09.547Z');
    expect(ended.data).toMatchObject({ cause: 16, causeText: 'Normal Clearing' });
  });

  it('reports both support agents paused for lunch, then unpaused', () => {
    const pauses = agentFacts(facts, 'member.paused').filter((f) => f.data.queue === 'support');
    const byAgent = (iface: string) =>
      pauses.filter((f) => f.data.interface === iface).map((f) => [f.data.paused, f.data.reason]);
    expect(byAgent('Local/101@agents/n')).toEqual([
      [false, null],
      [true, 'lunch'],
      [false, null],
    ]);
    expect(byAgent('Local/102@agents/n')).toEqual([
      [false, null],
      [true, 'lunch'],
      [false, null],
    ]);
  });
});

describe('normalizer on the Asterisk 13/15 capture of PBX-ASTERISK.md §4.2 (no timestamps, trimmed)', () => {
  const normalizer = createNormalizer({
    tenantId: TENANT,
    connectionId: 'pbx-2',
    directionRules: { trunkChannelPatterns: ['SIP/toOurAster-*'], inboundContexts: [] },
  });
  const facts = feed(transcript('pbx-asterisk-4.2-capture.ami'), normalizer);

  it('produces only valid facts', () => {
    expect(contractViolations(facts, TENANT)).toEqual([]);
  });

  it('places the Linkedid-less QueueCallerLeave by its Uniqueid and answers by SIP/777 after HoldTime 9', () => {
    expect(onlyCallFact(facts, 'call.started').data).toMatchObject({
      callId: '1514295827.372',
      direction: 'inbound',
      callerNumber: '123',
      callerName: 'Eugene R',
      did: null,
    });
    expect(onlyCallFact(facts, 'call.queued').data).toMatchObject({ queue: 'Q1', position: 1 });
    expect(onlyCallFact(facts, 'call.offered').data.agentInterface).toBe('SIP/777');
    expect(onlyCallFact(facts, 'call.left-queue').data).toMatchObject({
      queue: 'Q1',
      outcome: 'answered',
      waitSeconds: 9,
      position: 1,
    });
    expect(onlyCallFact(facts, 'call.answered').data).toMatchObject({
      agentInterface: 'SIP/777',
      waitSeconds: 9,
    });
  });

  it('shows the member ringing, and keeps the call open (the capture has no hangup)', () => {
    expect(agentFacts(facts, 'member.status').map((f) => [f.data.interface, f.data.status])).toEqual([
      ['SIP/777', 'ringing'],
    ]);
    expect(callFacts(facts, 'call.ended')).toEqual([]);
    expect(normalizer.activeCalls).toBe(1);
  });
});
