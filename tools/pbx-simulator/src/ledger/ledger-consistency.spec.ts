import { createEngine, runToCompletion } from '../engine/engine';
import type { AmiEvent } from '../render/ami-event';
import { SHORT_ABANDON_SEC, type LedgerCall, type QueueSegment } from './ledger';
import { parseQueueLogLine } from './queue-log';

// A busy hour on few agents, so that every outcome happens; then the ledger, the events and the queue_log
// are checked against each other.
const engine = createEngine({
  seed: 5,
  agents: 8,
  callsPerHour: 180,
  profile: {
    patienceMeanSec: 70,
    exitKeyProbability: 0.05,
    pausesPerAgentHour: 2,
    internalCallsPerHour: 30,
    outboundCallsPerHour: 30,
  },
  limits: { calls: 300 },
});
const events = runToCompletion(engine);
const calls = engine.ledger.list();
const inbound = calls.filter((c) => c.direction === 'inbound');
const segments = inbound.flatMap((c) => c.segments);
const log = engine.queueLog.lines().map(parseQueueLogLine);

const count = (name: string, where: (e: AmiEvent) => boolean = () => true) =>
  events.filter((e) => e.name === name && where(e)).length;
const segmentsWith = (outcome: QueueSegment['outcome']) => segments.filter((s) => s.outcome === outcome);
const logged = (event: string) => log.filter((l) => l.event === event);

describe('ledger, events and queue_log agree', () => {
  it('finished every call and saw every outcome', () => {
    expect(inbound.length).toBe(300);
    expect(calls.every((c) => c.endedAt !== null)).toBe(true);
    for (const outcome of ['answered', 'abandoned', 'timeout', 'exit-key'] as const) {
      expect(segmentsWith(outcome).length).toBeGreaterThan(0);
    }
    expect(calls.some((c) => c.direction === 'outbound')).toBe(true);
    expect(calls.some((c) => c.direction === 'internal')).toBe(true);
    expect(segments.some((s) => s.ringNoAnswers > 0)).toBe(true);
    expect(inbound.some((c) => c.short)).toBe(true);
  });

  it('has one QueueCallerJoin and one QueueCallerLeave per queue visit', () => {
    expect(count('QueueCallerJoin')).toBe(segments.length);
    expect(count('QueueCallerLeave')).toBe(segments.length);
    expect(logged('ENTERQUEUE')).toHaveLength(segments.length);
  });

  it('counts QueueCallerAbandon for abandons, timeouts and EXITEMPTY, as app_queue does', () => {
    const abandonLike = [
      ...segmentsWith('abandoned'),
      ...segmentsWith('timeout'),
      ...segmentsWith('exit-empty'),
    ];
    expect(count('QueueCallerAbandon')).toBe(abandonLike.length);
    expect(logged('ABANDON')).toHaveLength(segmentsWith('abandoned').length);
    expect(logged('EXITWITHTIMEOUT')).toHaveLength(segmentsWith('timeout').length);
    expect(logged('EXITEMPTY')).toHaveLength(segmentsWith('exit-empty').length);
    expect(logged('EXITWITHKEY')).toHaveLength(segmentsWith('exit-key').length);
    expect(
      count('VarSet', (e) => e.fields['Variable'] === 'QUEUESTATUS' && e.fields['Value'] === 'TIMEOUT'),
    ).toBe(segmentsWith('timeout').length);
  });

  it('has AgentConnect, AgentComplete and CONNECT for every answered visit', () => {
    const answered = segmentsWith('answered');
    expect(count('AgentConnect')).toBe(answered.length);
    expect(count('AgentComplete')).toBe(answered.length);
    expect(logged('CONNECT')).toHaveLength(answered.length);
    const completions = ['COMPLETEAGENT', 'COMPLETECALLER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER'];
    expect(log.filter((l) => completions.includes(l.event))).toHaveLength(answered.length);
  });

  it('counts ring-no-answers, holds and transfers as the events do', () => {
    const rna = segments.reduce((sum, s) => sum + s.ringNoAnswers, 0);
    expect(count('AgentRingNoAnswer')).toBe(rna);
    expect(logged('RINGNOANSWER')).toHaveLength(rna);
    const transfers = (kind: string) =>
      inbound.flatMap((c) => c.transfers).filter((t) => t.kind === kind).length;
    expect(count('BlindTransfer')).toBe(transfers('blind'));
    expect(count('AttendedTransfer')).toBe(transfers('attended'));
    expect(logged('BLINDTRANSFER')).toHaveLength(transfers('blind'));
    expect(count('Hold')).toBe(count('Unhold'));
  });

  it('has the ledger’s waits and talk times in the AgentComplete events and the queue_log', () => {
    const byCall = new Map<string, LedgerCall>(inbound.map((c) => [c.callId, c]));
    const completes = events.filter((e) => e.name === 'AgentComplete');
    for (const call of inbound) {
      const fromEvents = completes.filter((e) => e.fields['Linkedid'] === call.callId);
      const talk = fromEvents.reduce((sum, e) => sum + Number(e.fields['TalkTime']), 0);
      const queueTalk = call.segments.reduce((sum, s) => sum + s.talkSec, 0);
      expect(talk).toBe(queueTalk);
    }
    for (const line of logged('CONNECT')) {
      const call = byCall.get(line.callId)!;
      expect(call.segments.map((s) => s.waitSec)).toContain(Number(line.data[0]));
    }
    for (const line of logged('ABANDON')) {
      const call = byCall.get(line.callId)!;
      const segment = call.segments.find((s) => s.queue === line.queue && s.outcome === 'abandoned')!;
      expect(Number(line.data[2])).toBe(segment.waitSec);
    }
    for (const call of inbound.filter((c) => c.outcome === 'abandoned')) {
      expect(call.short).toBe(call.waitSec < SHORT_ABANDON_SEC);
    }
  });

  it('uses each call’s Linkedid as its call id, and ends each with LINKEDID_END', () => {
    const ended = new Set(
      events
        .filter((e) => e.name === 'CEL' && e.fields['EventName'] === 'LINKEDID_END')
        .map((e) => e.fields['LinkedID']),
    );
    for (const call of calls) expect(ended).toContain(call.callId);
    const started = new Set(events.filter((e) => e.name === 'Newchannel').map((e) => e.fields['Linkedid']));
    expect(started.size).toBe(calls.length);
  });

  it('hangs up every channel it creates, once', () => {
    const opened = events.filter((e) => e.name === 'Newchannel').map((e) => e.fields['Uniqueid']);
    const closed = events.filter((e) => e.name === 'Hangup').map((e) => e.fields['Uniqueid']);
    expect(new Set(opened).size).toBe(opened.length);
    expect([...closed].sort()).toEqual([...opened].sort());
    expect(engine.pbx.channels.size).toBe(0);
  });

  it('writes queue_log lines with whole-second times that never go back', () => {
    expect(log.findIndex((line, i) => i > 0 && line.time < log[i - 1]!.time)).toBe(-1);
    expect(logged('PAUSE').length).toBeGreaterThan(0);
  });

  it('stamps events with strictly increasing microsecond timestamps', () => {
    expect(events.findIndex((event, i) => i > 0 && event.micros <= events[i - 1]!.micros)).toBe(-1);
  });
});
