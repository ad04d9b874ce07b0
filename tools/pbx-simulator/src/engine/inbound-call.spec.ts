import type { AmiEvent } from '../render/ami-event';
import { parseQueueLogLine } from '../ledger/queue-log';
import { fixturePbx, runCall } from '../testing/scenarios';
import { fixedInboundPlan } from './plans';

// Scripted queue calls on the fixtures' PBX (support: Agent 101, Agent 102, linear; sales: Agent 103).

const named = (events: readonly AmiEvent[], name: string) => events.filter((e) => e.name === name);
const field = (event: AmiEvent | undefined, key: string) => (event ? String(event.fields[key]) : undefined);
const logEvents = (lines: readonly string[]) => lines.map((l) => parseQueueLogLine(l).event);

describe('an inbound queue call', () => {
  it('rings the next member after a ring-no-answer and the retry pause', () => {
    const engine = fixturePbx();
    const events = runCall(engine, {
      rings: [
        { answer: false, ringSec: 0 },
        { answer: true, ringSec: 2 },
      ],
      talkSec: 20,
    });
    const rna = named(events, 'AgentRingNoAnswer');
    expect(rna.map((e) => field(e, 'MemberName'))).toEqual(['Agent 101']);
    expect(field(rna[0], 'RingTime')).toBe('5000');
    expect(named(events, 'DialEnd').map((e) => field(e, 'DialStatus'))).toEqual(['NOANSWER', 'ANSWER']);
    expect(named(events, 'AgentCalled').map((e) => field(e, 'MemberName'))).toEqual([
      'Agent 101',
      'Agent 102',
    ]);
    const calledAgain = named(events, 'AgentCalled')[1]!;
    expect(calledAgain.micros - rna[0]!.micros).toBeGreaterThanOrEqual(5e6);
    const call = engine.ledger.list()[0]!;
    expect(call).toMatchObject({ outcome: 'answered', agent: 'Agent 102', ringNoAnswers: 1, talkSec: 20 });
    expect(
      engine.queueLog
        .lines()
        .map(parseQueueLogLine)
        .find((l) => l.event === 'RINGNOANSWER'),
    ).toMatchObject({
      agent: 'Agent 101',
      data: ['5000'],
    });
  });

  it('leaves with QUEUESTATUS=TIMEOUT (and app_queue’s QueueCallerAbandon) when Queue() times out', () => {
    const engine = fixturePbx({ support: { timeoutSec: 30 } });
    const events = runCall(engine, { patienceSec: 600 }, () => {
      engine.pbx.pause('Local/101@agents/n', true, 'break', undefined);
      engine.pbx.pause('Local/102@agents/n', true, 'break', undefined);
    });
    const status = named(events, 'VarSet').filter((e) => e.fields['Variable'] === 'QUEUESTATUS');
    expect(status.map((e) => field(e, 'Value'))).toEqual(['TIMEOUT']);
    expect(field(named(events, 'QueueCallerAbandon')[0], 'HoldTime')).toBe('30');
    expect(logEvents(engine.queueLog.lines())).toContain('EXITWITHTIMEOUT');
    expect(logEvents(engine.queueLog.lines())).not.toContain('ABANDON');
    expect(engine.ledger.list()[0]).toMatchObject({ outcome: 'timeout', waitSec: 30, endedBy: 'system' });
  });

  it('leaves with LEAVEEMPTY when no member can answer (leavewhenempty)', () => {
    const engine = fixturePbx({ support: { leaveWhenEmpty: true } });
    const events = runCall(engine, { patienceSec: 600 }, () => {
      engine.pbx.pause('Local/101@agents/n', true, 'lunch', undefined);
      engine.pbx.pause('Local/102@agents/n', true, 'lunch', undefined);
    });
    const status = named(events, 'VarSet').find((e) => e.fields['Variable'] === 'QUEUESTATUS');
    expect(field(status, 'Value')).toBe('LEAVEEMPTY');
    expect(logEvents(engine.queueLog.lines())).toContain('EXITEMPTY');
    expect(engine.ledger.list()[0]!.outcome).toBe('exit-empty');
  });

  it('leaves with EXITWITHKEY when the caller presses a digit', () => {
    const engine = fixturePbx();
    const events = runCall(engine, { exitKey: { afterSec: 10, digit: '1' }, patienceSec: 600 }, () => {
      engine.pbx.pause('Local/101@agents/n', true, 'lunch', undefined);
      engine.pbx.pause('Local/102@agents/n', true, 'lunch', undefined);
    });
    expect(named(events, 'QueueCallerAbandon')).toHaveLength(0);
    expect(named(events, 'QueueCallerLeave')).toHaveLength(1);
    const line = engine.queueLog
      .lines()
      .map(parseQueueLogLine)
      .find((l) => l.event === 'EXITWITHKEY');
    expect(line?.data).toEqual(['1', '1', '1', '10']);
    expect(engine.ledger.list()[0]).toMatchObject({ outcome: 'exit-key', waitSec: 10 });
  });

  it('reports a caller hang-up during the talk as Reason caller and COMPLETECALLER', () => {
    const engine = fixturePbx();
    const events = runCall(engine, { talkSec: 42, endedBy: 'caller' });
    expect(field(named(events, 'HangupRequest')[0], 'Channel')).toMatch(/^PJSIP\/trunk-/);
    expect(field(named(events, 'AgentComplete')[0], 'Reason')).toBe('caller');
    expect(field(named(events, 'AgentComplete')[0], 'TalkTime')).toBe('42');
    expect(logEvents(engine.queueLog.lines())).toContain('COMPLETECALLER');
    expect(engine.ledger.list()[0]).toMatchObject({ endedBy: 'caller', talkSec: 42 });
  });

  it('counts a short abandon', () => {
    const engine = fixturePbx();
    runCall(engine, { patienceSec: 3 }, () => {
      engine.pbx.pause('Local/101@agents/n', true, 'break', undefined);
      engine.pbx.pause('Local/102@agents/n', true, 'break', undefined);
    });
    expect(engine.ledger.list()[0]).toMatchObject({ outcome: 'abandoned', short: true, waitSec: 3 });
  });

  it('puts the caller on hold and back (Hold/Unhold on the agent side, music to the caller)', () => {
    const engine = fixturePbx();
    const events = runCall(engine, { talkSec: 60, hold: { afterSec: 10, durationSec: 15 } });
    expect(named(events, 'Hold').map((e) => field(e, 'Channel'))).toEqual([
      expect.stringMatching(/^Local\/101@agents-.*;1$/),
    ]);
    expect(named(events, 'Unhold')).toHaveLength(1);
    expect(field(named(events, 'MusicOnHoldStart')[0], 'Channel')).toMatch(/^PJSIP\/trunk-/);
    expect(named(events, 'MusicOnHoldStop')).toHaveLength(1);
    expect(engine.ledger.list()[0]).toMatchObject({ holdSec: 15, talkSec: 60 });
  });

  it('blind-transfers to another queue: BlindTransfer, Reason transfer, a second queue visit', () => {
    const engine = fixturePbx();
    const events = runCall(engine, {
      talkSec: 40,
      transfer: { kind: 'blind', afterSec: 12, target: 'sales', consultSec: 0 },
    });
    const transfer = named(events, 'BlindTransfer')[0];
    expect(field(transfer, 'Extension')).toBe('sales');
    expect(field(transfer, 'TransfereeChannel')).toMatch(/^PJSIP\/trunk-/);
    expect(named(events, 'AgentComplete').map((e) => field(e, 'Reason'))).toEqual(['transfer', 'agent']);
    const joins = named(events, 'QueueCallerJoin');
    expect(joins.map((e) => field(e, 'Queue'))).toEqual(['support', 'sales']);
    expect(new Set(joins.map((e) => field(e, 'Linkedid'))).size).toBe(1);
    expect(logEvents(engine.queueLog.lines())).toContain('BLINDTRANSFER');
    const call = engine.ledger.list()[0]!;
    expect(call.transfers).toEqual([
      expect.objectContaining({ kind: 'blind', from: 'Agent 101', to: 'sales' }),
    ]);
    expect(call.segments.map((s) => [s.queue, s.outcome, s.agent])).toEqual([
      ['support', 'answered', 'Agent 101'],
      ['sales', 'answered', 'Agent 103'],
    ]);
    expect(engine.pbx.channels.size).toBe(0);
  });

  it('attended-transfers to another agent: AttendedTransfer, ATTENDEDTRANSFER, the second agent talks', () => {
    const engine = fixturePbx();
    const events = runCall(engine, {
      talkSec: 40,
      transfer: { kind: 'attended', afterSec: 12, target: '102', consultSec: 8 },
    });
    const transfer = named(events, 'AttendedTransfer')[0];
    expect(field(transfer, 'DestType')).toBe('Bridge');
    expect(field(transfer, 'TransferTargetChannel')).toMatch(/^Local\/102@agents-.*;1$/);
    expect(field(named(events, 'AgentComplete')[0], 'Reason')).toBe('transfer');
    expect(logEvents(engine.queueLog.lines())).toContain('ATTENDEDTRANSFER');
    const call = engine.ledger.list()[0]!;
    expect(call.transfers).toEqual([
      expect.objectContaining({ kind: 'attended', from: 'Agent 101', to: 'Agent 102' }),
    ]);
    expect(call.holdSec).toBeGreaterThanOrEqual(8);
    expect(engine.pbx.channels.size).toBe(0);
    expect(call.endedAt).not.toBeNull();
  });

  it('plays the night announcement instead of queueing when DAYNIGHT/C0 is NIGHT', () => {
    const engine = fixturePbx();
    engine.pbx.astdb.set('DAYNIGHT/C0', 'NIGHT');
    const events = runCall(engine, {});
    expect(named(events, 'QueueCallerJoin')).toHaveLength(0);
    expect(engine.ledger.list()[0]).toMatchObject({ outcome: 'closed', queue: null });
  });

  it('ends the talk as the agent’s when the agent’s channel is hung up from AMI (COMPLETEAGENT)', () => {
    const engine = fixturePbx();
    const events: AmiEvent[] = [];
    engine.pbx.onEvent((e) => events.push(e));
    const call = engine.traffic.inbound(fixedInboundPlan({ talkSec: 600 }));
    engine.clock.runUntil(engine.clock.now() + 30e6);
    const agentChannel = [...engine.pbx.channels.values()].find((c) =>
      c.name.startsWith('Local/101@agents'),
    )!;
    agentChannel.owner!.hangupRequested(agentChannel, 16, 'soft');
    engine.clock.runUntil();
    expect(field(named(events, 'AgentComplete')[0], 'Reason')).toBe('agent');
    expect(call.record).toMatchObject({ outcome: 'answered', endedBy: 'agent' });
    expect(engine.pbx.channels.size).toBe(0);
  });

  it('reports COMPLETEAGENT and a second visit when a bridged caller is redirected to another queue', () => {
    const engine = fixturePbx();
    const events: AmiEvent[] = [];
    engine.pbx.onEvent((e) => events.push(e));
    const call = engine.traffic.inbound(fixedInboundPlan({ talkSec: 600 }));
    engine.clock.runUntil(engine.clock.now() + 30e6);
    expect(call.caller.owner!.redirect(call.caller, 'from-trunk', 'sales')).toBe(true);
    engine.clock.runUntil();
    expect(named(events, 'AgentComplete').map((e) => field(e, 'Reason'))).toEqual(['agent', 'agent']);
    expect(named(events, 'QueueCallerJoin').map((e) => field(e, 'Queue'))).toEqual(['support', 'sales']);
    expect(logEvents(engine.queueLog.lines()).filter((e) => e.startsWith('COMPLETE'))).toHaveLength(2);
    expect(call.record.segments.map((s) => s.agent)).toEqual(['Agent 101', 'Agent 103']);
    expect(engine.pbx.channels.size).toBe(0);
  });
});
