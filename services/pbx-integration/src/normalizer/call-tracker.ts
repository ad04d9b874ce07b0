import { TOPICS, type TRANSFER_KINDS } from '@okc/contracts';
import {
  callerIdText,
  channelRef,
  intOrNull,
  interfaceOfChannel,
  isLocalChannel,
  numberOfDialString,
  phoneNumberOrNull,
  type AmiHeaders,
  type ChannelRef,
} from './ami-fields';
import {
  customerUid,
  newCall,
  type CallContext,
  type CallState,
  type ChannelState,
  type EventTime,
} from './call-state';
import { directionOf, type DirectionClassifier } from './direction';
import {
  isoFromMs,
  secondsBetween,
  type CallFact,
  type CallFactData,
  type CallFactType,
  type CanonicalFact,
} from './facts';
import { ChannelGraph } from './channel-graph';
import {
  agentCalled,
  agentConnect,
  agentRingNoAnswer,
  callerMoved,
  closeAllEntries,
  queueAbandon,
  queueJoin,
  queueLeave,
  queueStatus,
} from './queue-events';

export interface CallTrackerOptions {
  readonly connectionId: string;
  readonly classifier: DirectionClassifier;
  readonly resolveAgent: (agentInterface: string) => string | null;
  readonly callIdleTimeoutMs: number;
  readonly endGraceMs: number;
  readonly endedCallMemory: number;
}

type TransferKind = (typeof TRANSFER_KINDS)[number];
type QueueHandler = typeof queueJoin;

/** How often (in event time) idle calls and old ended-call ids are looked for. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * The call half of the AMI normalizer: channels grouped into calls by Linkedid, and the facts of
 * `telephony.calls.v1`. State is per live call and channel and is dropped when the call ends.
 */
export class CallTracker implements CallContext {
  private readonly calls = new Map<string, CallState>();
  private readonly channels = new ChannelGraph();
  /** Ended call ids → end time, oldest first: late and repeated events of an ended call are dropped. */
  private readonly ended = new Map<string, number>();
  /** Calls past LINKEDID_END that still wait for their customer's Hangup → deadline. */
  private readonly ending = new Map<string, number>();
  /** Calls that a CoreShowChannels list being read brought in: started when the list is complete. */
  private readonly listed = new Set<string>();
  private clockMs = Number.NEGATIVE_INFINITY;
  private nextSweepMs = Number.NEGATIVE_INFINITY;
  dialplanEventsSeen = false;

  constructor(private readonly options: CallTrackerOptions) {}

  get activeCalls(): number {
    return this.calls.size;
  }

  get liveChannels(): number {
    return this.channels.size;
  }

  /** Moves the event clock: closes calls whose end grace passed, now and then evicts idle calls. */
  advance(ms: number, out: CanonicalFact[]): void {
    if (ms > this.clockMs) this.clockMs = ms;
    if (this.ending.size > 0) {
      for (const [id, deadline] of this.ending) {
        const call = this.calls.get(id);
        if (this.clockMs >= deadline && call?.endAt) this.finish(call, call.endAt, out);
      }
    }
    if (this.clockMs >= this.nextSweepMs) {
      this.sweep(out);
      this.nextSweepMs = this.clockMs + SWEEP_INTERVAL_MS;
    }
  }

  // --- CallContext -------------------------------------------------------------------------------------

  ensureStarted(call: CallState, out: CanonicalFact[]): void {
    this.maybeStart(call, true, out);
  }

  emit<E extends CallFactType>(
    out: CanonicalFact[],
    call: CallState,
    type: E,
    ms: number,
    data: CallFactData<E>,
    factKey: string,
  ): void {
    if (call.emitted.has(factKey)) return;
    call.emitted.add(factKey);
    // The cast: TypeScript does not see that Omit<D, 'callId' | 'connectionId'> plus those two fields is D.
    out.push({
      topic: TOPICS.telephonyCalls,
      key: call.id,
      type,
      occurredAt: isoFromMs(ms),
      data: { callId: call.id, connectionId: this.options.connectionId, ...data },
      factKey,
    } as unknown as CallFact);
  }

  agentUserId(agentInterface: string): string | null {
    return this.options.resolveAgent(agentInterface);
  }

  // --- channel events ----------------------------------------------------------------------------------

  newchannel(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    const ref = channelRef(h);
    const tracked = ref && this.track(ref, at, out, true, true);
    if (tracked) this.maybeStart(tracked.call, false, out);
  }

  /**
   * A channel up now, as CoreShowChannels lists it after a (re)connect. One not seen before (it began while we
   * were away, or before the first connect) is tracked from its creation (`Duration` ago), so that the call's
   * later events, its Hangup among them, are read. The call is started at the list's end, once all its
   * channels are known (`coreShowChannelsComplete`); the facts of the gap itself come from the queue_log
   * backfill, with their real times and the same keys.
   */
  coreShowChannel(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    const ref = channelRef(h);
    if (!ref || this.channels.get(ref.uniqueid)) return;
    const began: EventTime = { ms: at.ms - hmsSeconds(h.duration) * 1000, exact: false };
    // As a Newchannel for the call's own channel; any other is a leg it dialled (a trunk leg: dialled out).
    const tracked = this.track(ref, began, out, true, ref.uniqueid === ref.linkedid);
    if (!tracked) return;
    if (began.ms < tracked.call.startMs) tracked.call.startMs = began.ms;
    this.listed.add(tracked.call.id);
  }

  coreShowChannelsComplete(out: CanonicalFact[]): void {
    for (const id of this.listed) {
      const call = this.calls.get(id);
      if (call) this.maybeStart(call, true, out);
    }
    this.listed.clear();
  }

  localBridge(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    const one = channelRef(h, 'localone');
    const two = channelRef(h, 'localtwo');
    if (!one || !two) return;
    const first = this.track(one, at, out, true, false);
    const second = this.track(two, at, out, true, false);
    // `;2` runs the dialplan of the Local channel `;1` was dialled as: it is `;1`'s continuation.
    if (second && second.ch.parent === null) second.ch.parent = one.uniqueid;
    if (first) first.ch.localPeer = two.uniqueid;
  }

  dialBegin(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    const dest = channelRef(h, 'dest');
    if (!dest) return;
    const src = channelRef(h);
    if (!src) {
      // No dialling channel: the PBX itself dials the first leg (Originate).
      const tracked = this.track(dest, at, out, true, false);
      if (!tracked || tracked.ch.uniqueid !== tracked.call.id) return;
      const { call } = tracked;
      call.evidence.ownerOriginated = true;
      if (call.evidence.ownerIsTrunk) call.calleeNumber ??= numberOfDialString(h.dialstring);
      this.maybeStart(call, false, out);
      return;
    }
    const from = this.track(src, at, out, true, false);
    if (!from) return;
    const to = this.track(dest, at, out, true, false);
    const { call } = from;
    if (to && to.ch.parent === null && to.ch !== from.ch) to.ch.parent = src.uniqueid;
    // Ringing a phone (not a Local hop, which may still lead anywhere) is where a call must be announced.
    const ringsPhone = to !== null && !isLocalChannel(to.ch.name);
    if (ringsPhone || call.evidence.dialledOut) {
      call.calleeNumber ??= phoneNumberOrNull(src.exten) ?? numberOfDialString(h.dialstring);
    }
    callerMoved(this, call, src.uniqueid, false, at, out);
    this.maybeStart(call, ringsPhone, out);
  }

  bridgeEnter(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    const ref = channelRef(h);
    const bridgeId = h.bridgeuniqueid;
    const tracked = ref && bridgeId ? this.track(ref, at, out, true, false) : null;
    if (!tracked || !bridgeId) return;
    const { call, ch } = tracked;
    const members = this.channels.enterBridge(ch, bridgeId);
    // Not a move out of a queue: bridge and agent events travel different Stasis topics, so the caller's
    // BridgeEnter may overtake the AgentConnect that decides the stay.
    if (members.size < 2) return;
    this.ensureStarted(call, out);
    this.answerByBridge(call, members, at, out);
  }

  bridgeLeave(h: AmiHeaders): void {
    const ch = h.uniqueid ? this.channels.get(h.uniqueid) : undefined;
    if (ch) this.channels.leaveBridge(ch);
  }

  hangup(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    const ref = channelRef(h);
    const tracked = ref && this.track(ref, at, out, false, false);
    if (!tracked) return;
    const { call, ch } = tracked;
    if (ch.uniqueid === customerUid(call)) {
      call.cause = intOrNull(h.cause);
      call.causeText = h['cause-txt'] ? h['cause-txt'].slice(0, 128) : null;
      call.customerHungUp = true;
    }
    callerMoved(this, call, ch.uniqueid, true, at, out);
    call.holds.delete(ch.uniqueid);
    this.removeChannel(ch, call);
    if (call.endAt && (call.customerHungUp || call.channels.size === 0)) this.finish(call, call.endAt, out);
    else if (call.channels.size === 0) this.finish(call, at, out);
  }

  /** CEL LINKEDID_END: the last channel of the call is gone, though its Hangup events may still follow. */
  linkedidEnd(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    const call = h.linkedid ? this.calls.get(h.linkedid) : undefined;
    if (!call || call.endAt) return;
    call.endAt = at;
    if (call.customerHungUp || call.channels.size === 0) this.finish(call, at, out);
    else this.ending.set(call.id, at.ms + this.options.endGraceMs);
  }

  hold(h: AmiHeaders, at: EventTime, out: CanonicalFact[], held: boolean): void {
    const ref = channelRef(h);
    const tracked = ref && this.track(ref, at, out, true, false);
    if (!tracked) return;
    const { call, ch } = tracked;
    const ordinal = call.holds.get(ch.uniqueid);
    if (held === (ordinal !== undefined)) return; // already held / not held: AMI repeating itself
    this.ensureStarted(call, out);
    const agentInterface = this.agentInterfaceOf(call, ch);
    if (held) {
      const n = ++call.holdCount;
      call.holds.set(ch.uniqueid, n);
      this.emit(out, call, 'call.held', at.ms, { agentInterface }, `${call.id}|call.held|${n}`);
    } else {
      call.holds.delete(ch.uniqueid);
      this.emit(out, call, 'call.resumed', at.ms, { agentInterface }, `${call.id}|call.resumed|${ordinal}`);
    }
  }

  blindTransfer(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    if (h.result && h.result !== 'Success') return;
    const transferer = channelRef(h, 'transferer');
    const ref = channelRef(h, 'transferee') ?? transferer;
    const tracked = ref && this.track(ref, at, out, true, false);
    if (!tracked) return;
    const from = transferer ? this.track(transferer, at, out, true, false) : null;
    const target = h.extension?.trim() || 'unknown';
    this.transferred(tracked.call, 'blind', from?.ch ?? null, target, at, out);
  }

  attendedTransfer(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    if (h.result && h.result !== 'Success') return;
    const transferer = channelRef(h, 'origtransferer');
    const ref = channelRef(h, 'transferee') ?? transferer;
    const tracked = ref && this.track(ref, at, out, true, false);
    if (!tracked) return;
    const from = transferer ? this.track(transferer, at, out, true, false) : null;
    const targetChannel = h.transfertargetchannel;
    const target =
      (targetChannel && interfaceOfChannel(targetChannel)) ||
      phoneNumberOrNull(h.secondtransfererexten) ||
      h.destapp?.trim() ||
      'unknown';
    this.transferred(tracked.call, 'attended', from?.ch ?? null, target, at, out);
  }

  // --- queue events (the caller channel is the plain channel block) -------------------------------------

  queueCallerJoin(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    this.onCaller(h, at, out, (ctx, call, callerUid) => {
      // An extension calling a queue: the number it dialled is the callee.
      call.calleeNumber ??= phoneNumberOrNull(h.exten);
      queueJoin(ctx, call, callerUid, h, at, out);
    });
  }

  /**
   * A caller waiting now, as QueueStatus lists it after a (re)connect. A stay missed while we were away is
   * opened as joined `Wait` seconds ago, as the call's next visit (the ordinal the queue_log backfill gives
   * it too), so that its Leave or Abandon is read. QueueEntry has no Linkedid: only a channel already followed
   * (CoreShowChannels comes first) is taken. A stay already known is left as it is.
   */
  queueEntry(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    const ch = h.uniqueid ? this.channels.get(h.uniqueid) : undefined;
    const call = ch ? this.calls.get(ch.callId) : undefined;
    if (!ch || !call || !h.queue) return;
    if (call.queues.get(ch.uniqueid)?.queue === h.queue) return;
    const wait = Math.max(0, intOrNull(h.wait) ?? 0);
    queueJoin(this, call, ch.uniqueid, h, { ms: at.ms - wait * 1000, exact: false }, out);
  }

  queueCallerLeave(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    this.onCaller(h, at, out, queueLeave);
  }

  queueCallerAbandon(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    this.onCaller(h, at, out, queueAbandon);
  }

  agentCalled(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    this.markMemberLeg(h, at, out);
    this.onCaller(h, at, out, agentCalled);
  }

  agentRingNoAnswer(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    this.onCaller(h, at, out, agentRingNoAnswer);
  }

  agentConnect(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    this.markMemberLeg(h, at, out);
    this.onCaller(h, at, out, agentConnect);
  }

  /** VarSet QUEUESTATUS: set by Queue() on the caller channel right after it left the queue. */
  queueStatusVar(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    const ref = channelRef(h);
    const tracked = ref && this.track(ref, at, out, false, false);
    if (tracked) queueStatus(this, tracked.call, tracked.ch.uniqueid, h.value ?? '', at, out);
  }

  // --- internals ---------------------------------------------------------------------------------------

  private onCaller(h: AmiHeaders, at: EventTime, out: CanonicalFact[], handler: QueueHandler): void {
    const ref = channelRef(h);
    const tracked = ref && this.track(ref, at, out, true, false);
    if (tracked) handler(this, tracked.call, tracked.ch.uniqueid, h, at, out);
  }

  /** AgentCalled / AgentConnect name the member behind the Dest* channel: remember it on that leg. */
  private markMemberLeg(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    const dest = channelRef(h, 'dest');
    const tracked = dest && h.interface ? this.track(dest, at, out, true, false) : null;
    if (tracked) tracked.ch.memberInterface = h.interface ?? null;
  }

  /**
   * Finds (or, with `create`, opens) the call of a channel by its Linkedid, registers the channel, and
   * gathers direction evidence from it. Null for an ended call or a channel that cannot be placed.
   */
  private track(
    ref: ChannelRef,
    at: EventTime,
    out: CanonicalFact[],
    create: boolean,
    isNewchannel: boolean,
  ): { call: CallState; ch: ChannelState } | null {
    let ch = this.channels.get(ref.uniqueid);
    const callId = ref.linkedid ?? ch?.callId;
    if (callId === undefined || this.ended.has(callId)) return null;
    let call = this.calls.get(callId);
    if (!call) {
      if (!create) return null;
      call = newCall(callId, at.ms);
      this.calls.set(callId, call);
    }
    if (at.ms > call.lastMs) call.lastMs = at.ms;
    const { classifier } = this.options;
    const isOwner = ref.uniqueid === callId;
    if (ch && ch.callId !== callId) this.moveChannel(ch, call, at, out);
    if (!ch) {
      ch = {
        uniqueid: ref.uniqueid,
        name: ref.name,
        callId,
        isTrunk: ref.name !== '' && classifier.isTrunkChannel(ref.name),
        parent: null,
        localPeer: null,
        memberInterface: null,
        bridge: null,
      };
      this.channels.add(ch);
      call.channels.add(ch.uniqueid);
      if (ch.isTrunk) call.firstTrunkUid ??= ch.uniqueid;
      if (isOwner) {
        call.evidence.ownerIsTrunk = ch.isTrunk;
        // A channel created Down was dialled by the PBX; an incoming one starts ringing.
        if (isNewchannel) call.evidence.ownerIncoming = ref.state !== '0';
      }
    }
    const evidence = call.evidence;
    if (ch.isTrunk && !isOwner && !isNewchannel) evidence.dialledOut = true;
    // The context of a channel still Down is not yet its own (a Local `;1` shows the context it dials).
    const context = ref.state === '0' ? undefined : ref.context;
    if (context !== undefined && classifier.isOutboundContext(context)) evidence.dialledOut = true;
    if (isOwner) {
      if (context !== undefined && classifier.isInboundContext(context))
        evidence.ownerInInboundContext = true;
      if (
        !call.didRead &&
        (evidence.ownerInInboundContext || (ch.isTrunk && evidence.ownerIncoming === true))
      ) {
        call.didRead = true;
        call.did = phoneNumberOrNull(ref.exten);
      }
      call.callerNumber = callerIdText(ref.callerNum, 64) ?? call.callerNumber;
      call.callerName = callerIdText(ref.callerName, 256) ?? call.callerName;
    }
    return { call, ch };
  }

  private maybeStart(call: CallState, final: boolean, out: CanonicalFact[]): void {
    if (call.direction !== null) return;
    const direction = directionOf(call.evidence, final);
    if (direction === null) return;
    call.direction = direction;
    const inbound = direction === 'inbound';
    this.emit(
      out,
      call,
      'call.started',
      call.startMs,
      {
        direction,
        callerNumber: call.callerNumber,
        callerName: call.callerName,
        calleeNumber: inbound ? (call.did ?? call.calleeNumber) : call.calleeNumber,
        did: inbound ? call.did : null,
      },
      `${call.id}|call.started`,
    );
  }

  /**
   * A bridge of the customer with someone, outside any queue stay: the call is answered by that party
   * (an extension dialled directly, the agent of an outbound call, a transfer target). Queue answers come
   * from AgentConnect; their bridge finds the member already answered.
   */
  private answerByBridge(
    call: CallState,
    members: ReadonlySet<string>,
    at: EventTime,
    out: CanonicalFact[],
  ): void {
    if (call.queues.size > 0) return;
    const customer = customerUid(call);
    if (!members.has(customer)) return; // an agent-side hop (Local `;2` with the phone)
    for (const uid of members) {
      const ch = this.channels.get(uid);
      if (uid === customer || !ch || ch.isTrunk) continue;
      const agentInterface = this.channels.memberInterfaceOf(uid) ?? this.channels.deviceInterfaceOf(ch);
      if (call.answered.has(agentInterface)) continue;
      call.answered.add(agentInterface);
      this.emit(
        out,
        call,
        'call.answered',
        at.ms,
        { agentInterface, agentUserId: this.agentUserId(agentInterface), queue: null, waitSeconds: null },
        `${call.id}|call.answered|bridge|${agentInterface}`,
      );
    }
  }

  private transferred(
    call: CallState,
    kind: TransferKind,
    from: ChannelState | null,
    target: string,
    at: EventTime,
    out: CanonicalFact[],
  ): void {
    const fromInterface = from ? this.agentInterfaceOf(call, from) : null;
    const signature = `${kind}|${fromInterface}|${target}|${at.ms}`;
    if (call.lastTransfer === signature) return; // the same transfer event, repeated
    call.lastTransfer = signature;
    const n = ++call.transferCount;
    this.ensureStarted(call, out);
    this.emit(
      out,
      call,
      'call.transferred',
      at.ms,
      { kind, fromInterface, target: target.slice(0, 128) },
      `${call.id}|call.transferred|${n}`,
    );
  }

  /** The queue member a channel serves (walking up Local pairs and dials), else its own interface. */
  private agentInterfaceOf(call: CallState, ch: ChannelState): string | null {
    const member = this.channels.memberInterfaceOf(ch.uniqueid);
    if (member) return member;
    if (ch.isTrunk) return null;
    if (ch.uniqueid === customerUid(call) && call.direction !== 'internal') return null;
    return interfaceOfChannel(ch.name);
  }

  /** Asterisk gave the channel an older Linkedid (bridging): it now belongs to that call. */
  private moveChannel(ch: ChannelState, to: CallState, at: EventTime, out: CanonicalFact[]): void {
    const from = this.calls.get(ch.callId);
    ch.callId = to.id;
    to.channels.add(ch.uniqueid);
    if (ch.isTrunk) to.firstTrunkUid ??= ch.uniqueid;
    if (!from) return;
    from.channels.delete(ch.uniqueid);
    if (from.channels.size === 0) this.finish(from, from.endAt ?? at, out);
  }

  private removeChannel(ch: ChannelState, call: CallState): void {
    this.channels.remove(ch);
    call.channels.delete(ch.uniqueid);
  }

  /** Emits call.ended (after whatever the call still owes) and forgets the call. */
  private finish(call: CallState, at: EventTime, out: CanonicalFact[]): void {
    closeAllEntries(this, call, at, out);
    this.ensureStarted(call, out);
    this.emit(
      out,
      call,
      'call.ended',
      at.ms,
      { cause: call.cause, causeText: call.causeText, durationSeconds: secondsBetween(call.startMs, at.ms) },
      `${call.id}|call.ended`,
    );
    for (const uid of call.channels) {
      const ch = this.channels.get(uid);
      if (ch && ch.callId === call.id) this.channels.remove(ch);
    }
    this.calls.delete(call.id);
    this.ending.delete(call.id);
    this.ended.set(call.id, at.ms);
    if (this.ended.size > this.options.endedCallMemory) {
      const oldest = this.ended.keys().next();
      if (!oldest.done) this.ended.delete(oldest.value);
    }
  }

  /**
   * A call whose Hangup was lost would live forever: one silent for callIdleTimeoutMs (event time) is closed
   * as of its last event, with an unknown cause. Ended ids are kept as long, to drop replays of their events.
   */
  /** Closes the calls last heard of at or before `quietMs` that have no channel among `live` (see Normalizer). */
  reconcile(live: ReadonlySet<string>, quietMs: number, out: CanonicalFact[]): void {
    for (const call of [...this.calls.values()]) {
      if (call.lastMs > quietMs || live.has(call.id)) continue;
      if ([...call.channels].some((uid) => live.has(uid))) continue;
      this.finish(call, { ms: call.lastMs, exact: false }, out);
    }
  }

  private sweep(out: CanonicalFact[]): void {
    const before = this.clockMs - this.options.callIdleTimeoutMs;
    for (const call of [...this.calls.values()]) {
      if (call.lastMs < before) this.finish(call, { ms: call.lastMs, exact: false }, out);
    }
    for (const [id, endedMs] of this.ended) {
      if (endedMs >= before) break;
      this.ended.delete(id);
    }
  }
}

/** `01:02:03` (CoreShowChannel's Duration) → 3723; 0 when absent or malformed. */
function hmsSeconds(text: string | undefined): number {
  const match = text ? /^(\d+):([0-5]\d):([0-5]\d)$/.exec(text) : null;
  return match ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) : 0;
}
