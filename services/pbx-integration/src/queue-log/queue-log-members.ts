import { TOPICS } from '@okc/contracts';
import { isoFromMs, type AgentFact, type AgentFactData, type AgentFactType } from '../normalizer/facts';
import { queueName, unknownAgent, type ImportContext } from './queue-log-context';
import type { QueueLogRecord } from './queue-log-parser';

/** What was last said about one member in one queue, and as of when (as the normalizer's MemberTracker). */
interface MemberState {
  paused: string | null;
  pausedMs: number;
  present: boolean | null;
  presenceMs: number;
}

/** How long after a PAUSEALL its per-queue PAUSE rows may come (app_queue writes them right after it). */
const PAUSEALL_FOLLOW_MS = 1000;

/**
 * The `telephony.agents.v1` half of the import: member.paused / added / removed, with the normalizer's rules
 * (a fact only on a change, never from a record older than the last one applied) and factKeys
 * (`<tenant>:<iface>|member.paused|<queue or *>|<paused>|<epoch ms>`; added/removed likewise).
 */
export class MemberRebuilder {
  private readonly members = new Map<string, MemberState>();

  constructor(private readonly ctx: ImportContext) {}

  /** PAUSE / UNPAUSE in one queue (reason in data1); `queueColumn` `NONE` means every queue. */
  paused(r: QueueLogRecord, paused: boolean, queueColumn = r.queue): void {
    const agent = this.ctx.agentOf(r);
    if (!agent) return this.ctx.skip(r, unknownAgent(r));
    const queue = queueName(queueColumn);
    const reason = (r.data[0] ?? '').trim().slice(0, 128) || null;
    const state = this.stateOf(agent.iface, queue);
    const signature = `${paused}|${reason ?? ''}`;
    if (r.timeMs < state.pausedMs || state.paused === signature) return this.ctx.unchanged();
    state.pausedMs = r.timeMs;
    state.paused = signature;
    this.emit(
      agent.iface,
      'member.paused',
      r.timeMs,
      { interface: agent.iface, memberName: agent.memberName, queue, paused, reason },
      `member.paused|${queue ?? '*'}|${paused}|${r.timeMs}`,
    );
  }

  /**
   * PAUSEALL / UNPAUSEALL: app_queue writes one right before the per-queue PAUSE / UNPAUSE rows of the same
   * change, and AMI sends only per-queue QueueMemberPause events. So it makes a fact (queue null) only when no
   * such row follows; a following row whose member cannot be resolved counts (it may be one).
   */
  pauseAll(r: QueueLogRecord, paused: boolean, records: readonly QueueLogRecord[], index: number): void {
    const agent = this.ctx.agentOf(r);
    const perQueue = paused ? 'PAUSE' : 'UNPAUSE';
    for (let i = index + 1; i < records.length; i++) {
      const next = records[i];
      if (!next || next.timeMs > r.timeMs + PAUSEALL_FOLLOW_MS) break;
      if (next.event !== perQueue) continue;
      const nextAgent = this.ctx.agentOf(next);
      if (next.agent === r.agent || !nextAgent || !agent || nextAgent.iface === agent.iface) {
        return this.ctx.ignore(r.event);
      }
    }
    this.paused(r, paused, 'NONE');
  }

  /** ADDMEMBER / REMOVEMEMBER. */
  presence(r: QueueLogRecord, present: boolean): void {
    const agent = this.ctx.agentOf(r);
    const queue = queueName(r.queue);
    if (!agent) return this.ctx.skip(r, unknownAgent(r));
    if (!queue) return this.ctx.skip(r, `${r.event} without a queue`);
    const state = this.stateOf(agent.iface, queue);
    if (r.timeMs < state.presenceMs || state.present === present) return this.ctx.unchanged();
    state.present = present;
    state.presenceMs = r.timeMs;
    state.paused = null; // a new membership starts a fresh state
    const base = { interface: agent.iface, memberName: agent.memberName, queue };
    if (present) {
      // ADDMEMBER is written for members added at run time (dynamic); with REALTIME as CALLID for realtime ones.
      const membership = r.callId === 'REALTIME' ? 'realtime' : 'dynamic';
      const data = { ...base, membership, penalty: null } as const;
      this.emit(agent.iface, 'member.added', r.timeMs, data, `member.added|${queue}|${r.timeMs}`);
    } else {
      this.emit(agent.iface, 'member.removed', r.timeMs, base, `member.removed|${queue}|${r.timeMs}`);
    }
  }

  private stateOf(iface: string, queue: string | null): MemberState {
    const id = `${iface}\n${queue ?? ''}`;
    let state = this.members.get(id);
    if (!state) {
      state = {
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
    iface: string,
    type: E,
    ms: number,
    data: AgentFactData<E>,
    factKeySuffix: string,
  ): void {
    const key = `${this.ctx.tenantId}:${iface}`;
    // The cast: TypeScript does not see that Omit<D, 'connectionId'> plus connectionId is D.
    this.ctx.push(ms, {
      topic: TOPICS.telephonyAgents,
      key,
      type,
      occurredAt: isoFromMs(ms),
      data: { connectionId: this.ctx.connectionId, ...data },
      factKey: `${key}|${factKeySuffix}`,
    } as unknown as AgentFact);
  }
}
