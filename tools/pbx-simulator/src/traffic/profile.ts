import type { DirectPlan, InboundPlan, RingDecision } from '../engine/plans';
import { Prng } from '../engine/prng';

/** How callers and agents behave. Rates are per hour of virtual time; durations in seconds. */
export interface TrafficProfile {
  /** Inbound calls into the queues (a Poisson process). */
  readonly callsPerHour: number;
  /** Mean of the caller's patience (exponential): waiting longer than it, the caller hangs up. */
  readonly patienceMeanSec: number;
  /** Mean conversation length (exponential above talkMinSec). */
  readonly talkMeanSec: number;
  readonly talkMinSec: number;
  /** Chance that an agent answers a ring (else it rings out after the member timeout). */
  readonly answerProbability: number;
  readonly ringMinSec: number;
  readonly ringMaxSec: number;
  /** Chance that the caller presses a key to leave the queue (EXITWITHKEY) at some point. */
  readonly exitKeyProbability: number;
  readonly holdProbability: number;
  readonly holdMeanSec: number;
  readonly blindTransferProbability: number;
  readonly attendedTransferProbability: number;
  /** Chance that the caller, not the agent, ends an answered call. */
  readonly callerEndsProbability: number;
  /** Agent to agent calls (from-internal). */
  readonly internalCallsPerHour: number;
  /** Agents calling customers through the trunk. */
  readonly outboundCallsPerHour: number;
  /** Pauses per agent per hour, their mean length, and the reasons given. */
  readonly pausesPerAgentHour: number;
  readonly pauseMeanSec: number;
  readonly pauseReasons: readonly string[];
}

export function defaultProfile(
  callsPerHour: number,
  overrides: Partial<TrafficProfile> = {},
): TrafficProfile {
  return {
    callsPerHour,
    patienceMeanSec: 90,
    talkMeanSec: 150,
    talkMinSec: 8,
    answerProbability: 0.85,
    ringMinSec: 1,
    ringMaxSec: 4.5,
    exitKeyProbability: 0.02,
    holdProbability: 0.15,
    holdMeanSec: 25,
    blindTransferProbability: 0.03,
    attendedTransferProbability: 0.02,
    callerEndsProbability: 0.45,
    internalCallsPerHour: callsPerHour * 0.05,
    outboundCallsPerHour: callsPerHour * 0.1,
    pausesPerAgentHour: 0.5,
    pauseMeanSec: 420,
    pauseReasons: ['lunch', 'break', 'training', 'meeting', 'after-call-work'],
    ...overrides,
  };
}

const FIRST_NAMES = [
  'Иван',
  'Мария',
  'Алексей',
  'Ольга',
  'Дмитрий',
  'Анна',
  'Сергей',
  'Елена',
  'John',
  'Emma',
];
const LAST_NAMES = ['Петров', 'Иванова', 'Смирнов', 'Кузнецова', 'Попов', 'Соколова', 'Smith', 'Brown'];

/** A Russian mobile number, `7916xxxxxxx`. */
export function phoneNumber(prng: Prng): string {
  return `79${prng.int(10, 99)}${String(prng.int(0, 9_999_999)).padStart(7, '0')}`;
}

export interface QueueShare {
  readonly name: string;
  readonly share: number;
}

/** The inbound plan of the n-th call: drawn from a stream of its own, so calls do not shift each other. */
export function inboundPlan(
  seed: number,
  index: number,
  profile: TrafficProfile,
  queues: readonly QueueShare[],
  extensions: readonly string[],
): InboundPlan {
  const prng = Prng.derive(seed, 'inbound', index);
  const queue = prng.weighted(queues.map((q) => ({ value: q.name, weight: q.share })));
  const named = prng.chance(0.6);
  return build(prng, profile, queue, queues, extensions, {
    callerNum: phoneNumber(prng),
    callerName: named ? `${prng.pick(FIRST_NAMES)} ${prng.pick(LAST_NAMES)}` : null,
    allowTransfer: true,
  });
}

function build(
  prng: Prng,
  profile: TrafficProfile,
  queue: string,
  queues: readonly QueueShare[],
  extensions: readonly string[],
  caller: { callerNum: string; callerName: string | null; allowTransfer: boolean },
): InboundPlan {
  const talkSec = Math.round(profile.talkMinSec + prng.exponential(profile.talkMeanSec - profile.talkMinSec));
  const patienceSec = Math.max(1, Math.round(prng.exponential(profile.patienceMeanSec) * 10) / 10);
  const exitKey = prng.chance(profile.exitKeyProbability)
    ? { afterSec: Math.round(prng.uniform(8, 60)), digit: String(prng.int(0, 9)) }
    : null;
  const holdDuration = Math.max(3, Math.round(prng.exponential(profile.holdMeanSec)));
  const hold =
    prng.chance(profile.holdProbability) && talkSec > holdDuration + 6
      ? { afterSec: Math.round(prng.uniform(2, talkSec - holdDuration - 2)), durationSec: holdDuration }
      : null;
  const roll = prng.next();
  const otherQueues = queues.filter((q) => q.name !== queue).map((q) => q.name);
  const transferAt = Math.round(prng.uniform(Math.min(5, talkSec / 2), Math.max(6, talkSec - 2)));
  let transfer: InboundPlan['transfer'] = null;
  if (caller.allowTransfer && roll < profile.blindTransferProbability && otherQueues.length > 0) {
    transfer = { kind: 'blind', afterSec: transferAt, target: prng.pick(otherQueues), consultSec: 0 };
  } else if (
    caller.allowTransfer &&
    roll < profile.blindTransferProbability + profile.attendedTransferProbability &&
    extensions.length > 1
  ) {
    transfer = {
      kind: 'attended',
      afterSec: transferAt,
      target: prng.pick(extensions),
      consultSec: prng.int(5, 30),
    };
  }
  if (hold && transfer && hold.afterSec + hold.durationSec >= transfer.afterSec) transfer = null;
  const rings: RingDecision[] = [];
  const plan: InboundPlan = {
    callerNum: caller.callerNum,
    callerName: caller.callerName,
    queue,
    patienceSec,
    exitKey,
    talkSec,
    endedBy: prng.chance(profile.callerEndsProbability) ? 'caller' : 'agent',
    hold,
    transfer,
    ring(attempt) {
      while (rings.length <= attempt) {
        rings.push({
          answer: prng.chance(profile.answerProbability),
          ringSec: Math.round(prng.uniform(profile.ringMinSec, profile.ringMaxSec) * 10) / 10,
        });
      }
      return rings[attempt]!;
    },
    next() {
      return build(prng, profile, queue, queues, extensions, { ...caller, allowTransfer: false });
    },
  };
  return plan;
}

/** An internal or outbound call's plan. */
export function directPlan(prng: Prng, profile: TrafficProfile, outbound: boolean): DirectPlan {
  const r = prng.next();
  const busy = outbound && r < 0.08;
  const noAnswer = !busy && r < (outbound ? 0.3 : 0.15);
  return {
    answerAfterSec: noAnswer ? null : Math.round(prng.uniform(2, 12) * 10) / 10,
    busy,
    talkSec: Math.round(
      profile.talkMinSec + prng.exponential((profile.talkMeanSec - profile.talkMinSec) * 0.6),
    ),
    endedBy: prng.chance(0.5) ? 'caller' : 'callee',
  };
}
