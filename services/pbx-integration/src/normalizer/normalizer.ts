import type { AmiMessage } from '@okc/ami';
import { timestampMs } from './ami-fields';
import { CallTracker } from './call-tracker';
import type { EventTime } from './call-state';
import { compileDirectionRules, type DirectionRules } from './direction';
import type { CanonicalFact } from './facts';
import { MemberTracker } from './member-tracker';

export interface NormalizerOptions {
  readonly tenantId: string;
  /** The tenant's PBX connection: carried in every call fact. */
  readonly connectionId: string;
  readonly directionRules: DirectionRules;
  /** The OKC user behind a PBX interface, when known (agentUserId); called synchronously, keep it cheap. */
  readonly resolveAgent?: (agentInterface: string) => string | null;
  /** A call without any event for this long (event time) is closed with call.ended, cause null. Default 4 h. */
  readonly callIdleTimeoutMs?: number;
  /** After CEL LINKEDID_END, how long (event time) to wait for the customer's Hangup and its cause. Default 2 s. */
  readonly endGraceMs?: number;
  /** How many ended call ids are remembered to drop their late or replayed events. Default 50 000. */
  readonly endedCallMemory?: number;
}

export interface Normalizer {
  /** One AMI message in, the facts it completes out (often none). Same inputs, same outputs. */
  push(message: AmiMessage, receivedAt: Date): CanonicalFact[];
  /**
   * Lets time pass without an event (a quiet PBX): closes calls whose end grace or idle timeout ran out.
   * Optional; events move the same clock.
   */
  tick(now: Date): CanonicalFact[];
  /**
   * After a reconnect: `liveCallIds` are the Linkedids and Uniqueids of the channels up now (CoreShowChannels).
   * A call not heard of since `quietSince` (the last event before the gap) with none of them ended while we
   * could not see: it is closed with call.ended (cause null) at its last event, its open queue stays with it.
   */
  reconcile(liveCallIds: ReadonlySet<string>, quietSince: Date): CanonicalFact[];
  /** Calls held in memory now (for metrics, and to check that memory stays bounded). */
  readonly activeCalls: number;
  readonly liveChannels: number;
}

export const DEFAULT_CALL_IDLE_TIMEOUT_MS = 4 * 60 * 60 * 1000;
export const DEFAULT_END_GRACE_MS = 2000;
export const DEFAULT_ENDED_CALL_MEMORY = 50_000;

/**
 * The events read; everything else (VarSet but QUEUESTATUS, Newexten, CEL but LINKEDID_END, Cdr,
 * DeviceStateChange, RTCP…, most of a `read = all` stream) is dropped after one Set lookup.
 */
const HANDLED_EVENTS: ReadonlySet<string> = new Set([
  'Newchannel',
  'LocalBridge',
  'DialBegin',
  'BridgeEnter',
  'BridgeLeave',
  'Hangup',
  'Hold',
  'Unhold',
  'BlindTransfer',
  'AttendedTransfer',
  'CEL',
  'VarSet',
  'QueueCallerJoin',
  'QueueCallerLeave',
  'QueueCallerAbandon',
  'AgentCalled',
  'AgentRingNoAnswer',
  'AgentConnect',
  'QueueMemberStatus',
  'QueueMember',
  'QueueMemberPause',
  'QueueMemberPaused',
  'QueueMemberAdded',
  'QueueMemberRemoved',
  'CoreShowChannel',
  'CoreShowChannelsComplete',
  'QueueEntry',
]);

/**
 * Turns Asterisk AMI events into OKC's canonical telephony facts. Pure and deterministic: no clock but the
 * events' `Timestamp:` (or the given receive time), no randomness, no I/O.
 */
export function createNormalizer(options: NormalizerOptions): Normalizer {
  if (!options.tenantId) throw new Error('createNormalizer: tenantId is required');
  if (!options.connectionId) throw new Error('createNormalizer: connectionId is required');
  const calls = new CallTracker({
    connectionId: options.connectionId,
    classifier: compileDirectionRules(options.directionRules),
    resolveAgent: options.resolveAgent ?? (() => null),
    callIdleTimeoutMs: options.callIdleTimeoutMs ?? DEFAULT_CALL_IDLE_TIMEOUT_MS,
    endGraceMs: options.endGraceMs ?? DEFAULT_END_GRACE_MS,
    endedCallMemory: options.endedCallMemory ?? DEFAULT_ENDED_CALL_MEMORY,
  });
  const members = new MemberTracker(options.tenantId, options.connectionId);

  function push(message: AmiMessage, receivedAt: Date): CanonicalFact[] {
    const h = message.headers;
    const event = h.event;
    if (event === undefined || !HANDLED_EVENTS.has(event)) return [];
    if (event === 'CEL' && h.eventname !== 'LINKEDID_END') return [];
    if (event === 'VarSet') {
      calls.dialplanEventsSeen = true;
      if (h.variable !== 'QUEUESTATUS') return [];
    }
    const ms = timestampMs(h);
    const at: EventTime = ms === null ? { ms: receivedAt.getTime(), exact: false } : { ms, exact: true };
    if (!Number.isFinite(at.ms)) return [];
    const out: CanonicalFact[] = [];
    calls.advance(at.ms, out);
    switch (event) {
      case 'Newchannel':
        calls.newchannel(h, at, out);
        break;
      case 'CoreShowChannel':
        calls.coreShowChannel(h, at, out);
        break;
      case 'CoreShowChannelsComplete':
        calls.coreShowChannelsComplete(out);
        break;
      case 'QueueEntry':
        calls.queueEntry(h, at, out);
        break;
      case 'LocalBridge':
        calls.localBridge(h, at, out);
        break;
      case 'DialBegin':
        calls.dialBegin(h, at, out);
        break;
      case 'BridgeEnter':
        calls.bridgeEnter(h, at, out);
        break;
      case 'BridgeLeave':
        calls.bridgeLeave(h);
        break;
      case 'Hangup':
        calls.hangup(h, at, out);
        break;
      case 'Hold':
      case 'Unhold':
        calls.hold(h, at, out, event === 'Hold');
        break;
      case 'BlindTransfer':
        calls.blindTransfer(h, at, out);
        break;
      case 'AttendedTransfer':
        calls.attendedTransfer(h, at, out);
        break;
      case 'CEL':
        calls.linkedidEnd(h, at, out);
        break;
      case 'VarSet':
        calls.queueStatusVar(h, at, out);
        break;
      case 'QueueCallerJoin':
        calls.queueCallerJoin(h, at, out);
        break;
      case 'QueueCallerLeave':
        calls.queueCallerLeave(h, at, out);
        break;
      case 'QueueCallerAbandon':
        calls.queueCallerAbandon(h, at, out);
        break;
      case 'AgentCalled':
        calls.agentCalled(h, at, out);
        break;
      case 'AgentRingNoAnswer':
        calls.agentRingNoAnswer(h, at, out);
        break;
      case 'AgentConnect':
        calls.agentConnect(h, at, out);
        break;
      case 'QueueMemberStatus':
        members.status(h, at, out);
        break;
      case 'QueueMember':
        members.status(h, at, out);
        members.paused(h, at, out);
        break;
      case 'QueueMemberPause':
      case 'QueueMemberPaused':
        members.paused(h, at, out);
        break;
      case 'QueueMemberAdded':
        members.added(h, at, out);
        break;
      case 'QueueMemberRemoved':
        members.removed(h, at, out);
        break;
    }
    return out;
  }

  function tick(now: Date): CanonicalFact[] {
    const out: CanonicalFact[] = [];
    if (Number.isFinite(now.getTime())) calls.advance(now.getTime(), out);
    return out;
  }

  function reconcile(liveCallIds: ReadonlySet<string>, quietSince: Date): CanonicalFact[] {
    const out: CanonicalFact[] = [];
    calls.reconcile(liveCallIds, quietSince.getTime(), out);
    return out;
  }

  return {
    push,
    tick,
    reconcile,
    get activeCalls() {
      return calls.activeCalls;
    },
    get liveChannels() {
      return calls.liveChannels;
    },
  };
}
