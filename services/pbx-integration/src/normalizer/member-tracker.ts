import { MEMBER_DEVICE_STATES, TOPICS } from '@okc/contracts';
import { amiBoolean, intOrNull, type AmiHeaders } from './ami-fields';
import type { EventTime } from './call-state';
import {
  isoFromMs,
  type AgentFact,
  type AgentFactData,
  type AgentFactType,
  type CanonicalFact,
} from './facts';

const MEMBERSHIPS = new Set(['dynamic', 'static', 'realtime']);

/** What was last said about one member in one queue, and as of when. */
interface MemberState {
  status: string | null;
  statusMs: number;
  paused: string | null;
  pausedMs: number;
  present: boolean | null;
  presenceMs: number;
}

/**
 * The agents half of the normalizer: queue-member facts of `telephony.agents.v1`. A member's state is
 * remembered per queue, so that AMI repeating an event, a QueueStatus snapshot after a reconnect, or a
 * replayed older event says nothing new and emits nothing. Memory: one small record per member and queue.
 */
export class MemberTracker {
  private readonly members = new Map<string, MemberState>();

  constructor(
    private readonly tenantId: string,
    private readonly connectionId: string,
  ) {}

  /** QueueMemberStatus, and QueueMember (the QueueStatus snapshot, `Location`/`Name` on older versions). */
  status(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    const iface = h.interface || h.location;
    const code = intOrNull(h.status);
    const status = code === null ? undefined : MEMBER_DEVICE_STATES[code];
    if (!iface || status === undefined) return;
    const queue = h.queue || null;
    const paused = amiBoolean(h.paused) ?? false;
    const inCall = amiBoolean(h.incall);
    const state = this.stateOf(iface, queue);
    if (at.ms < state.statusMs) return; // older than what was already applied: a replay
    const signature = `${status}|${paused}|${inCall}`;
    state.statusMs = at.ms;
    if (state.status === signature) return;
    state.status = signature;
    this.emit(
      out,
      iface,
      'member.status',
      at.ms,
      { interface: iface, memberName: memberName(h), queue, status, paused, inCall },
      `member.status|${queue ?? '*'}|${signature}|${at.ms}`,
    );
  }

  /** QueueMemberPause (QueueMemberPaused before Asterisk 12), and the pause part of a QueueMember snapshot. */
  paused(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    const iface = h.interface || h.location;
    const paused = amiBoolean(h.paused);
    if (!iface || paused === null) return;
    const queue = h.queue || null;
    const reason = (h.pausedreason || h.reason || '').trim().slice(0, 128) || null;
    const state = this.stateOf(iface, queue);
    if (at.ms < state.pausedMs) return;
    const signature = `${paused}|${reason ?? ''}`;
    state.pausedMs = at.ms;
    if (state.paused === signature) return;
    state.paused = signature;
    this.emit(
      out,
      iface,
      'member.paused',
      at.ms,
      { interface: iface, memberName: memberName(h), queue, paused, reason },
      `member.paused|${queue ?? '*'}|${paused}|${at.ms}`,
    );
  }

  added(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    const iface = h.interface;
    const queue = h.queue;
    if (!iface || !queue) return;
    const state = this.presence(iface, queue, true, at);
    if (!state) return;
    const membership = h.membership && MEMBERSHIPS.has(h.membership) ? h.membership : null;
    const penalty = intOrNull(h.penalty);
    this.emit(
      out,
      iface,
      'member.added',
      at.ms,
      {
        interface: iface,
        memberName: memberName(h),
        queue,
        membership: membership as 'dynamic' | 'static' | 'realtime' | null,
        penalty: penalty !== null && penalty >= 0 ? penalty : null,
      },
      `member.added|${queue}|${at.ms}`,
    );
  }

  removed(h: AmiHeaders, at: EventTime, out: CanonicalFact[]): void {
    const iface = h.interface;
    const queue = h.queue;
    if (!iface || !queue || !this.presence(iface, queue, false, at)) return;
    this.emit(
      out,
      iface,
      'member.removed',
      at.ms,
      { interface: iface, memberName: memberName(h), queue },
      `member.removed|${queue}|${at.ms}`,
    );
  }

  /** Records joining or leaving a queue; null when nothing changed. A new membership starts a fresh state. */
  private presence(iface: string, queue: string, present: boolean, at: EventTime): MemberState | null {
    const state = this.stateOf(iface, queue);
    if (at.ms < state.presenceMs || state.present === present) return null;
    state.present = present;
    state.presenceMs = at.ms;
    state.status = null;
    state.paused = null;
    return state;
  }

  private stateOf(iface: string, queue: string | null): MemberState {
    const id = `${iface}\n${queue ?? ''}`;
    let state = this.members.get(id);
    if (!state) {
      state = {
        status: null,
        statusMs: Number.NEGATIVE_INFINITY,
        paused: null,
        pausedMs: Number.NEGATIVE_INFINITY,
        present: null,
        presenceMs: Number.NEGATIVE_INFINITY,
      };
      this.members.set(id, state);
    }
    return state;
  }

  private emit<E extends AgentFactType>(
    out: CanonicalFact[],
    iface: string,
    type: E,
    ms: number,
    data: AgentFactData<E>,
    factKeySuffix: string,
  ): void {
    const key = `${this.tenantId}:${iface}`;
    // The cast: TypeScript does not see that Omit<D, 'connectionId'> plus connectionId is D.
    out.push({
      topic: TOPICS.telephonyAgents,
      key,
      type,
      occurredAt: isoFromMs(ms),
      data: { connectionId: this.connectionId, ...data },
      factKey: `${key}|${factKeySuffix}`,
    } as unknown as AgentFact);
  }
}

function memberName(h: AmiHeaders): string | null {
  return (h.membername || h.name || '').trim().slice(0, 128) || null;
}
