import { TOPICS } from '@okc/contracts';
import { callerIdText, interfaceOfChannel, phoneNumberOrNull } from '../normalizer/ami-fields';
import {
  isoFromMs,
  secondsBetween,
  type CallFact,
  type CallFactData,
  type CallFactType,
} from '../normalizer/facts';
import type { QueueOutcome } from '../normalizer/queue-events';
import {
  nonNegativeInt,
  positiveInt,
  queueName,
  unknownAgent,
  type ImportContext,
} from './queue-log-context';
import type { QueueLogRecord } from './queue-log-parser';

/** One stay of one caller channel in one queue. */
interface Stay {
  /** 1 for the call's first queue entry, 2 for the next…: the ordinal in the normalizer's factKeys. */
  readonly visit: number;
  readonly queue: string;
  readonly joinedMs: number;
  /** RINGNOANSWER per interface in this stay: the ordinal of the offer it ends. */
  readonly rings: Map<string, number>;
}

interface ImportCall {
  /** The call id: the CALLID column through callIdMap. */
  readonly id: string;
  /**
   * The call was already going on when the records began (its first record is not an ENTERQUEUE or DID):
   * its earlier queue stays are unknown, so no fact keyed by an ordinal is built for it.
   */
  readonly partial: boolean;
  /** Time of its first record (ENTERQUEUE or DID); null for a partial call. */
  readonly firstMs: number | null;
  did: string | null;
  started: boolean;
  visits: number;
  transfers: number;
  /** Open stays by caller Uniqueid (one call may have several caller channels). */
  readonly stays: Map<string, Stay>;
  /** The last record said the call is over (COMPLETE*, ABANDON), unless a later record of it says otherwise. */
  end: { ms: number; durationSeconds: number } | null;
  /** Time of its latest record. */
  lastMs: number;
}

export type ExitEvent = 'ABANDON' | 'EXITEMPTY' | 'EXITWITHTIMEOUT' | 'EXITWITHKEY' | 'WITHDRAW';

/** The queue outcome of each exit, and which data fields hold its position and wait. */
const EXITS: Readonly<Record<ExitEvent, { outcome: QueueOutcome; position: number; wait: number }>> = {
  ABANDON: { outcome: 'abandoned', position: 0, wait: 2 },
  EXITEMPTY: { outcome: 'exit-empty', position: 0, wait: 2 },
  EXITWITHTIMEOUT: { outcome: 'timeout', position: 0, wait: 2 },
  EXITWITHKEY: { outcome: 'exit-key', position: 1, wait: 3 },
  WITHDRAW: { outcome: 'overflow', position: 0, wait: 2 },
};

/**
 * The `telephony.calls.v1` half of the import: queue stays, answers, no-answers, transfers and call ends,
 * keyed as the AMI normalizer keys them (`queue-events.ts`, `call-tracker.ts`): the call id, then ordinals
 * counted per call (visit = n-th ENTERQUEUE of the call, n-th no-answer of a member in a visit, n-th transfer).
 */
export class CallRebuilder {
  private readonly calls = new Map<string, ImportCall>();

  constructor(
    private readonly ctx: ImportContext,
    private readonly callIdMap: ReadonlyMap<string, string> | undefined,
  ) {}

  /** FreePBX's `DID` row: the number the caller dialled, for call.started (no fact of its own). */
  did(r: QueueLogRecord): void {
    const call = this.callOf(r, true);
    const did = phoneNumberOrNull(r.data[0]);
    if (call && did) call.did ??= did;
  }

  enterQueue(r: QueueLogRecord): void {
    const call = this.callOf(r, true);
    const queue = queueName(r.queue);
    if (!call || !queue) return this.ctx.skip(r, 'ENTERQUEUE without a caller Uniqueid or a queue');
    if (call.partial) return this.ctx.skip(r, partialReason(r));
    call.end = null; // the call goes on
    const current = call.stays.get(r.callId);
    // A stay still open: its exit line is missing; the normalizer calls a stay left unseen overflow.
    if (current) this.closeStay(call, r.callId, current, 'overflow', r.timeMs, null, null);
    if (!call.started) {
      call.started = true;
      const data = {
        // queue_log does not know the direction: a caller waiting in a queue is taken as inbound.
        direction: 'inbound',
        callerNumber: callerIdText(r.data[1], 64),
        callerName: callerIdText(r.data[3], 256),
        calleeNumber: call.did,
        did: call.did,
      } as const;
      this.emit(call, 'call.started', call.firstMs ?? r.timeMs, data, `${call.id}|call.started`);
    }
    const stay: Stay = { visit: ++call.visits, queue, joinedMs: r.timeMs, rings: new Map() };
    call.stays.set(r.callId, stay);
    const position = positiveInt(r.data[2]) ?? 1;
    this.emit(call, 'call.queued', r.timeMs, { queue, position }, `${call.id}|call.queued|${stay.visit}`);
  }

  connect(r: QueueLogRecord): void {
    const call = this.orderedCall(r);
    if (!call) return;
    call.end = null;
    const holdTime = nonNegativeInt(r.data[0]);
    const stay = call.stays.get(r.callId);
    const wait = stay ? this.closeStay(call, r.callId, stay, 'answered', r.timeMs, holdTime, null) : holdTime;
    this.answered(r, call, stay?.visit ?? call.visits, r.timeMs, wait);
  }

  /**
   * COMPLETEAGENT / COMPLETECALLER: the conversation is over, and so is the call, unless a later record of it
   * says otherwise (after the agent hangs up, Queue() may return to a dialplan that queues the caller again).
   */
  complete(r: QueueLogRecord): void {
    const call = this.callOf(r, false);
    if (!call) return this.ctx.skip(r, `${r.event} without a caller Uniqueid`);
    const holdTime = nonNegativeInt(r.data[0]);
    const callTime = nonNegativeInt(r.data[1]);
    if (holdTime === null || callTime === null) {
      return this.ctx.skip(r, `${r.event}: holdtime and calltime must be whole seconds`);
    }
    const stay = call.stays.get(r.callId);
    if (stay) {
      // Its CONNECT line is missing: the conversation began calltime ago.
      const answeredMs = r.timeMs - callTime * 1000;
      const wait = this.closeStay(call, r.callId, stay, 'answered', answeredMs, holdTime, null);
      this.answered(r, call, stay.visit, answeredMs, wait);
    }
    const durationSeconds =
      call.firstMs === null ? holdTime + callTime : secondsBetween(call.firstMs, r.timeMs);
    call.end = { ms: r.timeMs, durationSeconds };
  }

  exit(r: QueueLogRecord, event: ExitEvent): void {
    const { outcome, position, wait } = EXITS[event];
    const call = this.callOf(r, false);
    if (!call) return this.ctx.skip(r, `${event} without a caller Uniqueid`);
    const waited = nonNegativeInt(r.data[wait]);
    // ABANDON: the caller hung up, the call ends here (unless a later record of it says otherwise). Any other
    // exit returns the caller to the dialplan, whose end queue_log does not see.
    call.end =
      event === 'ABANDON'
        ? {
            ms: r.timeMs,
            durationSeconds: call.firstMs === null ? (waited ?? 0) : secondsBetween(call.firstMs, r.timeMs),
          }
        : null;
    if (call.partial) return this.ctx.skip(r, partialReason(r));
    const stay = call.stays.get(r.callId);
    if (!stay) return this.ctx.skip(r, `${event} without an open queue stay of this caller`);
    this.closeStay(call, r.callId, stay, outcome, r.timeMs, waited, positiveInt(r.data[position]));
  }

  ringNoAnswer(r: QueueLogRecord): void {
    const call = this.orderedCall(r);
    if (!call) return;
    const agent = this.ctx.agentOf(r);
    if (!agent) return this.ctx.skip(r, unknownAgent(r));
    const ringMs = nonNegativeInt(r.data[0]);
    if (ringMs === null) return this.ctx.skip(r, 'RINGNOANSWER: ringtime must be whole milliseconds');
    const stay = call.stays.get(r.callId);
    // Offers (AgentCalled) are not in queue_log: the n-th no-answer of a member in a stay ends its n-th offer.
    let ordinal = 1;
    if (stay) {
      ordinal = (stay.rings.get(agent.iface) ?? 0) + 1;
      stay.rings.set(agent.iface, ordinal);
    }
    this.emit(
      call,
      'call.ring-no-answer',
      r.timeMs,
      {
        agentInterface: agent.iface,
        agentUserId: this.ctx.userOf(agent.iface),
        queue: queueName(r.queue) ?? stay?.queue ?? null,
        // RINGNOANSWER's ringtime is in ms, the same number as AgentRingNoAnswer's RingTime.
        ringSeconds: ringMs / 1000,
      },
      `${call.id}|call.ring-no-answer|${stay?.visit ?? call.visits}|${agent.iface}|${ordinal}`,
    );
  }

  /** TRANSFER (before Asterisk 12) and BLINDTRANSFER: to an extension; ATTENDEDTRANSFER: by its method. */
  transfer(r: QueueLogRecord, attended: boolean): void {
    const call = this.orderedCall(r);
    if (!call) return;
    call.end = null; // the caller goes on elsewhere
    const n = ++call.transfers;
    const target = attended ? attendedTarget(r.data) : r.data[0]?.trim() || 'unknown';
    this.emit(
      call,
      'call.transferred',
      r.timeMs,
      {
        kind: attended ? 'attended' : 'blind',
        fromInterface: this.ctx.agentOf(r)?.iface ?? null,
        target: target.slice(0, 128),
      },
      `${call.id}|call.transferred|${n}`,
    );
  }

  /**
   * After the last record: call.ended for every call whose last word was an end. With `live` (the PBX's calls
   * with a channel up at `live.at`), also for a call that left its queues for the dialplan (a timeout, a key,
   * an empty queue, a transfer) and was gone by then: its end happened unseen, after its last record; it is
   * dated at that record, the last thing known of it. A call that began in the last second before `at` or
   * later, has a record after `at`, or is still in a queue, is left alone (it may be newer than the snapshot).
   */
  finish(live?: { readonly callIds: ReadonlySet<string>; readonly at: Date }): void {
    for (const call of this.calls.values()) {
      if (call.end) {
        const { ms, durationSeconds } = call.end;
        const data = { cause: null, causeText: null, durationSeconds };
        this.emit(call, 'call.ended', ms, data, `${call.id}|call.ended`);
        continue;
      }
      if (!live || !call.started || call.stays.size > 0 || live.callIds.has(call.id)) continue;
      // Not live at the snapshot, though it began before it (whole-second times: a second of margin), and
      // nothing of it after: it ended before the snapshot. A call begun later may simply be newer than it.
      const at = live.at.getTime();
      if (call.firstMs === null || call.firstMs >= at - 1000 || call.lastMs > at) continue;
      const durationSeconds = call.firstMs === null ? 0 : secondsBetween(call.firstMs, call.lastMs);
      const data = { cause: null, causeText: null, durationSeconds };
      this.emit(call, 'call.ended', call.lastMs, data, `${call.id}|call.ended`);
    }
  }

  private answered(
    r: QueueLogRecord,
    call: ImportCall,
    visit: number,
    ms: number,
    wait: number | null,
  ): void {
    const agent = this.ctx.agentOf(r);
    if (!agent) return this.ctx.skip(r, unknownAgent(r));
    this.emit(
      call,
      'call.answered',
      ms,
      {
        agentInterface: agent.iface,
        agentUserId: this.ctx.userOf(agent.iface),
        queue: queueName(r.queue),
        waitSeconds: wait,
      },
      `${call.id}|call.answered|${visit}|${agent.iface}`,
    );
  }

  /** Emits call.left-queue and forgets the stay; returns the wait in seconds. */
  private closeStay(
    call: ImportCall,
    callerUid: string,
    stay: Stay,
    outcome: QueueOutcome,
    ms: number,
    waited: number | null,
    position: number | null,
  ): number {
    call.stays.delete(callerUid);
    // Asterisk's own count of seconds waited when the line has it, else the difference of whole-second times.
    const waitSeconds = waited ?? secondsBetween(stay.joinedMs, ms);
    this.emit(
      call,
      'call.left-queue',
      ms,
      { queue: stay.queue, outcome, waitSeconds, position },
      `${call.id}|call.left-queue|${stay.visit}`,
    );
    return waitSeconds;
  }

  /**
   * The call of a record, by its CALLID through callIdMap. `starts`: an ENTERQUEUE or DID, which may begin a
   * call; any other record is the first of its call only when the call began before the records.
   */
  private callOf(r: QueueLogRecord, starts: boolean): ImportCall | null {
    if (!isCallId(r.callId)) return null;
    const id = this.callIdMap?.get(r.callId) ?? r.callId;
    let call = this.calls.get(id);
    if (!call) {
      call = {
        id,
        partial: !starts,
        firstMs: starts ? r.timeMs : null,
        did: null,
        started: false,
        visits: 0,
        transfers: 0,
        stays: new Map(),
        end: null,
        lastMs: r.timeMs,
      };
      this.calls.set(id, call);
    }
    call.lastMs = Math.max(call.lastMs, r.timeMs);
    return call;
  }

  /** The call of a record whose facts are keyed by ordinals; null (and a skip) when they cannot be known. */
  private orderedCall(r: QueueLogRecord): ImportCall | null {
    const call = this.callOf(r, false);
    if (!call) {
      this.ctx.skip(r, `${r.event} without a caller Uniqueid`);
      return null;
    }
    if (call.partial || call.visits === 0) {
      this.ctx.skip(r, partialReason(r));
      return null;
    }
    return call;
  }

  private emit<E extends CallFactType>(
    call: ImportCall,
    type: E,
    ms: number,
    data: CallFactData<E>,
    factKey: string,
  ): void {
    // The cast: TypeScript does not see that Omit<D, 'callId' | 'connectionId'> plus those two fields is D.
    this.ctx.push(ms, {
      topic: TOPICS.telephonyCalls,
      key: call.id,
      type,
      occurredAt: isoFromMs(ms),
      data: { callId: call.id, connectionId: this.ctx.connectionId, ...data },
      factKey,
    } as unknown as CallFact);
  }
}

function isCallId(callId: string): boolean {
  return callId !== '' && callId !== 'NONE' && callId !== 'REALTIME' && callId.length <= 64;
}

function partialReason(r: QueueLogRecord): string {
  return `${r.event}: the call began before these records, so its visit ordinals (factKeys) are unknown`;
}

/** ATTENDEDTRANSFER(method|method-data|…): APP → the application; LINK → the far channel's interface. */
function attendedTarget(data: readonly string[]): string {
  const method = data[0]?.trim().toUpperCase();
  if (method === 'APP') return data[1]?.trim() || 'unknown';
  if (method === 'LINK') return interfaceOfChannel(data[2]?.trim() ?? '') || 'unknown';
  return 'unknown'; // BRIDGE: a bridge id, not a party
}
