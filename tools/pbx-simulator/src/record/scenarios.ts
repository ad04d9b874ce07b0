import { DirectCall } from '../engine/direct-call';
import type { Engine } from '../engine/engine';
import type { DirectPlan } from '../engine/plans';
import type { LedgerCall } from '../ledger/ledger';
import { renderAll } from '../engine/engine';
import type { AmiEvent } from '../render/ami-event';
import { BANNER } from '../server/ami-server';
import { fixturePbx, runCall } from '../testing/scenarios';

/**
 * One scripted call per scenario the simulator plays, on the fixtures' PBX (support: Agent 101 and 102,
 * sales: Agent 103): its AMI transcript and its ledger entries, what really happened. The normalizer's golden
 * tests read them (fixtures/simulated/); the ledger, written by the simulator, is their expected output.
 */
export interface RecordedScenario {
  readonly name: string;
  /** What the scenario shows, for the fixtures' README. */
  readonly about: string;
  readonly transcript: string;
  readonly ledger: LedgerCall[];
}

type Script = (engine: Engine) => AmiEvent[];

const pauseSupport = (engine: Engine, reason: string) => {
  engine.pbx.pause('Local/101@agents/n', true, reason, 'support');
  engine.pbx.pause('Local/102@agents/n', true, reason, 'support');
};

/** A call that does not go through a queue, from Agent 101's phone, to its end. */
function direct(
  engine: Engine,
  target: 'colleague' | 'customer',
  plan: Partial<DirectPlan> = {},
): AmiEvent[] {
  const events: AmiEvent[] = [];
  const off = engine.pbx.onEvent((event) => events.push(event));
  const from = engine.pbx.agentByExt('101')!;
  const to =
    target === 'colleague'
      ? ({ kind: 'ext', agent: engine.pbx.agentByExt('102')! } as const)
      : ({ kind: 'number', number: '79035550101' } as const);
  const full: DirectPlan = { answerAfterSec: 4, busy: false, talkSec: 30, endedBy: 'caller', ...plan };
  new DirectCall(engine.pbx, from, to, full).start();
  engine.clock.runUntil();
  off();
  return events;
}

const SCRIPTS: readonly (readonly [string, string, Script])[] = [
  [
    'answered',
    'a caller queues in support; Agent 101 answers after 2 s, talks 40 s and hangs up',
    (e) => runCall(e, { rings: [{ answer: true, ringSec: 2 }], talkSec: 40, endedBy: 'agent' }),
  ],
  [
    'abandoned',
    'both support agents on a break; the caller gives up after 25 s',
    (e) => runCall(e, { patienceSec: 25 }, () => pauseSupport(e, 'break')),
  ],
  [
    'short-abandon',
    'the caller hangs up after 3 s in the queue (a short abandon, under 5 s)',
    (e) => runCall(e, { patienceSec: 3 }, () => pauseSupport(e, 'lunch')),
  ],
  [
    'timeout',
    'support times out after 30 s (both agents paused); app_queue reports it as an abandon too',
    (e) => runCall(e, { patienceSec: 600 }, () => pauseSupport(e, 'meeting')),
  ],
  [
    'ring-no-answer',
    'Agent 101 lets it ring out; Agent 102 answers the second ring',
    (e) =>
      runCall(e, {
        rings: [
          { answer: false, ringSec: 0 },
          { answer: true, ringSec: 3 },
        ],
        talkSec: 30,
        endedBy: 'caller',
      }),
  ],
  [
    'blind-transfer',
    'Agent 101 answers and, after 20 s, blind-transfers the caller to sales, where Agent 103 answers',
    (e) =>
      runCall(e, {
        talkSec: 30,
        transfer: { kind: 'blind', afterSec: 20, target: 'sales', consultSec: 0 },
      }),
  ],
  [
    'attended-transfer',
    'Agent 101 answers, consults Agent 103 for 10 s and hands the caller over',
    (e) =>
      runCall(e, {
        talkSec: 30,
        transfer: { kind: 'attended', afterSec: 15, target: '103', consultSec: 10 },
      }),
  ],
  [
    'hold',
    'Agent 101 answers, puts the caller on hold for 20 s after 10 s, resumes and ends',
    (e) => runCall(e, { talkSec: 60, hold: { afterSec: 10, durationSec: 20 }, endedBy: 'agent' }),
  ],
  ['internal', 'Agent 101 calls Agent 102 (from-internal), 30 s', (e) => direct(e, 'colleague')],
  ['outbound', 'Agent 101 calls a customer through the trunk, 30 s', (e) => direct(e, 'customer')],
  [
    'click-to-call',
    'an AMI Originate: Agent 101’s phone rings first, then the customer is dialled and answers',
    (e) => {
      const events: AmiEvent[] = [];
      const off = e.pbx.onEvent((event) => events.push(event));
      const from = e.pbx.agentByExt('101')!;
      const plan: DirectPlan = { answerAfterSec: 5, busy: false, talkSec: 45, endedBy: 'callee' };
      new DirectCall(e.pbx, from, { kind: 'number', number: '79035550102' }, plan).originate({
        actionId: 'c2c-1',
        channel: 'PJSIP/101',
        context: 'from-internal',
        exten: '79035550102',
        callerIdNum: '74951234567',
        callerIdName: 'Clinic',
        timeoutSec: 30,
      });
      e.clock.runUntil();
      off();
      return events;
    },
  ],
];

/** Every scenario, recorded on a fresh PBX each (seed 1, the fixtures' start time): deterministic. */
export function recordScenarios(): RecordedScenario[] {
  return SCRIPTS.map(([name, about, script]) => {
    const engine = fixturePbx({ support: { timeoutSec: 30 } });
    const events = script(engine);
    return {
      name,
      about,
      transcript: `${BANNER}\r\n${renderAll(events)}`,
      ledger: engine.ledger.list(),
    };
  });
}
