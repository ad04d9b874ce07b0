/** What a generated call will do, drawn up front from the seeded generator (or written by a test). */

export interface RingDecision {
  /** False: the agent lets it ring until the member timeout (RINGNOANSWER). */
  readonly answer: boolean;
  readonly ringSec: number;
}

export interface HoldPlan {
  /** Seconds after the agent answered. */
  readonly afterSec: number;
  readonly durationSec: number;
}

export interface TransferPlan {
  readonly kind: 'blind' | 'attended';
  readonly afterSec: number;
  /** A queue (blind) or an agent's extension (attended). */
  readonly target: string;
  /** Attended: seconds of consultation before the transfer completes. */
  readonly consultSec: number;
}

export interface InboundPlan {
  readonly callerNum: string;
  readonly callerName: string | null;
  readonly queue: string;
  /** The caller hangs up after waiting this long in a queue (unless answered first). */
  readonly patienceSec: number;
  /** The caller presses a key after waiting this long (EXITWITHKEY), or never. */
  readonly exitKey: { readonly afterSec: number; readonly digit: string } | null;
  readonly talkSec: number;
  readonly endedBy: 'agent' | 'caller';
  readonly hold: HoldPlan | null;
  readonly transfer: TransferPlan | null;
  /** How the n-th agent rung for this call behaves. */
  ring(attempt: number): RingDecision;
  /** The plan for the next queue or agent after a transfer (no further transfer). */
  next(): InboundPlan;
}

export interface DirectPlan {
  /** Seconds the called side rings before answering; null: it never answers. */
  readonly answerAfterSec: number | null;
  /** BUSY instead of ringing. */
  readonly busy: boolean;
  readonly talkSec: number;
  readonly endedBy: 'caller' | 'callee';
}

/** A fixed plan, for tests and scripted scenarios. */
export function fixedInboundPlan(
  plan: Partial<Omit<InboundPlan, 'ring' | 'next'>> & {
    readonly rings?: readonly RingDecision[];
  },
): InboundPlan {
  const rings = plan.rings ?? [{ answer: true, ringSec: 1 }];
  const full: InboundPlan = {
    callerNum: plan.callerNum ?? '79160000001',
    callerName: plan.callerName === undefined ? 'Caller' : plan.callerName,
    queue: plan.queue ?? 'support',
    patienceSec: plan.patienceSec ?? 600,
    exitKey: plan.exitKey ?? null,
    talkSec: plan.talkSec ?? 60,
    endedBy: plan.endedBy ?? 'agent',
    hold: plan.hold ?? null,
    transfer: plan.transfer ?? null,
    ring: (attempt) => rings[Math.min(attempt, rings.length - 1)]!,
    next: () => ({ ...full, transfer: null, hold: null }),
  };
  return full;
}
