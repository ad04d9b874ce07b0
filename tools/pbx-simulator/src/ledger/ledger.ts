import { writeFile } from 'node:fs/promises';

/** What happened to a call, for tests to compare with what OKC recorded. Times are ISO strings, spans seconds. */

export type CallDirection = 'inbound' | 'outbound' | 'internal';

export type QueueOutcome = 'answered' | 'abandoned' | 'timeout' | 'exit-empty' | 'exit-key';

export type CallOutcome = QueueOutcome | 'closed' | 'no-answer' | 'busy' | 'failed' | 'redirected';

export interface Transfer {
  readonly kind: 'blind' | 'attended';
  /** MemberName of the agent who transferred. */
  readonly from: string | null;
  /** The queue, extension or number the call went to. */
  readonly to: string;
  readonly at: string;
}

/** One visit of the call to a queue (a transfer to another queue makes a second one). */
export interface QueueSegment {
  readonly queue: string;
  readonly joinedAt: string;
  readonly position: number;
  outcome: QueueOutcome | null;
  agent: string | null;
  waitSec: number;
  talkSec: number;
  holdSec: number;
  ringNoAnswers: number;
}

export interface LedgerCall {
  /** The call's Linkedid (the Uniqueid of its first channel). */
  readonly callId: string;
  readonly tenant: string;
  readonly direction: CallDirection;
  /** `traffic` for generated calls, `originate` for an AMI Originate (click-to-call). */
  readonly origin: 'traffic' | 'originate';
  readonly from: string;
  readonly to: string;
  /** The first queue the call entered (inbound), else null. */
  queue: string | null;
  outcome: CallOutcome | null;
  /** MemberName (`Agent 101`) of the first agent who talked to the caller, or the extension for direct calls. */
  agent: string | null;
  /** Seconds in the first queue before being answered or leaving (QueueCallerAbandon HoldTime…). */
  waitSec: number;
  /** Seconds of conversation over all agents (AgentComplete TalkTime added up). */
  talkSec: number;
  holdSec: number;
  ringNoAnswers: number;
  /** True for an abandon within 5 seconds (a short abandon). */
  short: boolean;
  readonly transfers: Transfer[];
  endedBy: 'caller' | 'agent' | 'system' | null;
  readonly startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  readonly segments: QueueSegment[];
}

export const SHORT_ABANDON_SEC = 5;

export class Ledger {
  private readonly calls = new Map<string, LedgerCall>();

  open(
    init: Pick<LedgerCall, 'callId' | 'tenant' | 'direction' | 'origin' | 'from' | 'to' | 'startedAt'>,
  ): LedgerCall {
    const call: LedgerCall = {
      ...init,
      queue: null,
      outcome: null,
      agent: null,
      waitSec: 0,
      talkSec: 0,
      holdSec: 0,
      ringNoAnswers: 0,
      short: false,
      transfers: [],
      endedBy: null,
      answeredAt: null,
      endedAt: null,
      segments: [],
    };
    this.calls.set(call.callId, call);
    return call;
  }

  get(callId: string): LedgerCall | undefined {
    return this.calls.get(callId);
  }

  /** Every call, in the order they started. */
  list(): LedgerCall[] {
    return [...this.calls.values()];
  }

  finished(): LedgerCall[] {
    return this.list().filter((c) => c.endedAt !== null);
  }

  toJSON(): { calls: LedgerCall[] } {
    return { calls: this.list() };
  }

  async save(path: string): Promise<void> {
    await writeFile(path, `${JSON.stringify(this.toJSON(), null, 1)}\n`);
  }
}

/**
 * Sums a call's queue visits into its top-level fields: first queue, its outcome and wait, first agent, totals.
 * `outside` is talk and hold with an agent reached by attended transfer, outside any queue.
 */
export function summarize(
  call: LedgerCall,
  outside: { talkSec: number; holdSec: number } = { talkSec: 0, holdSec: 0 },
): void {
  const first = call.segments[0];
  if (!first) return;
  call.queue = first.queue;
  call.outcome = first.outcome;
  call.waitSec = first.waitSec;
  call.agent = call.segments.find((s) => s.agent !== null)?.agent ?? null;
  call.talkSec = call.segments.reduce((sum, s) => sum + s.talkSec, 0) + outside.talkSec;
  call.holdSec = call.segments.reduce((sum, s) => sum + s.holdSec, 0) + outside.holdSec;
  call.ringNoAnswers = call.segments.reduce((sum, s) => sum + s.ringNoAnswers, 0);
  call.short = first.outcome === 'abandoned' && first.waitSec < SHORT_ABANDON_SEC;
}
