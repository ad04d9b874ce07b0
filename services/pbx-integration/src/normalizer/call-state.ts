import type { CallFactData, CallFactType, CanonicalFact } from './facts';
import { emptyEvidence, type CallDirection, type DirectionEvidence } from './direction';

/** When an event happened: epoch ms, and whether it came from the PBX's own clock (`Timestamp:`). */
export interface EventTime {
  readonly ms: number;
  /** True for the PBX's `Timestamp:`; false when only the receive time was known. */
  readonly exact: boolean;
}

/** A live channel. Kept from Newchannel (or first sight) to Hangup; a few hundred bytes each. */
export interface ChannelState {
  readonly uniqueid: string;
  readonly name: string;
  /** The Linkedid it was last seen with: Asterisk moves a channel to an older Linkedid when bridging. */
  callId: string;
  readonly isTrunk: boolean;
  /** The channel that dialled it, or the `;1` half of a Local pair: walked up to find the queue member. */
  parent: string | null;
  /** On a Local `;1`: its `;2` half, to find the phone a Local hop reached. */
  localPeer: string | null;
  /** The queue-member interface this channel was dialled for (AgentCalled's Dest*), e.g. `Local/101@agents/n`. */
  memberInterface: string | null;
  bridge: string | null;
}

/** One stay of one caller channel in one queue. */
export interface QueueEntry {
  /** 1 for the call's first queue entry, 2 for the next (a re-queue, a transfer to a queue)… */
  readonly visit: number;
  readonly queue: string;
  readonly callerUid: string;
  readonly joined: EventTime;
  /** Interfaces being rung now → since when: a repeated AgentCalled does not make a second offer. */
  readonly ringing: Map<string, number>;
  /** Offers per interface in this visit: the ordinal in the offer's factKey. */
  readonly offers: Map<string, number>;
  /** QueueCallerAbandon seen (it comes before QueueCallerLeave). */
  abandon: { readonly holdTime: number | null; readonly position: number | null } | null;
  /** QueueCallerLeave seen; the outcome may still be unknown (AgentConnect and QUEUESTATUS come after it). */
  leave: { readonly at: EventTime; readonly position: number | null } | null;
}

export interface CallState {
  /** The Linkedid. */
  readonly id: string;
  /** The earliest moment known of it (a CoreShowChannels list may move it back). */
  startMs: number;
  lastMs: number;
  readonly channels: Set<string>;
  readonly evidence: DirectionEvidence;
  /** Null until the evidence decides it; call.started is emitted at that moment. */
  direction: CallDirection | null;
  callerNumber: string | null;
  callerName: string | null;
  calleeNumber: string | null;
  did: string | null;
  /** The DID is read once, at the first channel's first appearance in an inbound context. */
  didRead: boolean;
  /** The first trunk channel: the customer's leg. Without one, the first channel is the customer's. */
  firstTrunkUid: string | null;
  cause: number | null;
  causeText: string | null;
  customerHungUp: boolean;
  visits: number;
  /** Queue entries by caller channel; one at a time per channel. */
  readonly queues: Map<string, QueueEntry>;
  /** Interfaces that answered the call, to answer once per agent (and per visit for queue answers). */
  readonly answered: Set<string>;
  /** Held channels → the ordinal of that hold in the call. */
  readonly holds: Map<string, number>;
  holdCount: number;
  transferCount: number;
  lastTransfer: string | null;
  /** Every factKey emitted for this call: the last guard against emitting one twice. */
  readonly emitted: Set<string>;
  /** CEL LINKEDID_END time, while waiting for the customer's Hangup (it may come after). */
  endAt: EventTime | null;
}

export function newCall(id: string, startMs: number): CallState {
  return {
    id,
    startMs,
    lastMs: startMs,
    channels: new Set(),
    evidence: emptyEvidence(),
    direction: null,
    callerNumber: null,
    callerName: null,
    calleeNumber: null,
    did: null,
    didRead: false,
    firstTrunkUid: null,
    cause: null,
    causeText: null,
    customerHungUp: false,
    visits: 0,
    queues: new Map(),
    answered: new Set(),
    holds: new Map(),
    holdCount: 0,
    transferCount: 0,
    lastTransfer: null,
    emitted: new Set(),
    endAt: null,
  };
}

export function customerUid(call: CallState): string {
  return call.firstTrunkUid ?? call.id;
}

/** What the queue handlers need from the call tracker. */
export interface CallContext {
  /** Announces the call (call.started) if not yet done; every other call fact needs it first. */
  ensureStarted(call: CallState, out: CanonicalFact[]): void;
  emit<E extends CallFactType>(
    out: CanonicalFact[],
    call: CallState,
    type: E,
    ms: number,
    data: CallFactData<E>,
    factKey: string,
  ): void;
  agentUserId(agentInterface: string): string | null;
  /** True once any VarSet went by: the AMI user reads the `dialplan` class, so QUEUESTATUS would show. */
  readonly dialplanEventsSeen: boolean;
}
