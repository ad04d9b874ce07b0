import type { LedgerCall, QueueSegment } from '../ledger/ledger';
import { dialBegin, dialEnd, hangupRequest, softHangupRequest } from '../render/channel-events';
import {
  agentCalled,
  agentRingNoAnswer,
  queueCallerAbandon,
  queueCallerJoin,
  queueCallerLeave,
} from '../render/queue-events';
import type { Channel, ChannelOwner } from './channel';
import { createMemberLeg, originOf, type MemberLeg } from './member-leg';
import type { Pbx } from './pbx';
import type { InboundPlan } from './plans';
import type { Queue, QueueEntry, QueueMember } from './queue';
import type { TimerHandle } from './scheduler';

export function iso(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString();
}

/** What a stay in a queue needs from its call. */
export interface QueueStayHost extends ChannelOwner {
  readonly pbx: Pbx;
  readonly caller: Channel;
  readonly record: LedgerCall;
  currentPlan(): InboundPlan;
  /** The next ring attempt's number over the whole call. */
  nextAttempt(): number;
  /** A member answered: the conversation begins. */
  answered(stay: QueueStay, leg: MemberLeg, member: QueueMember, holdSec: number, ringSec: number): void;
  /** The stay is over (answered or not). */
  left(stay: QueueStay): void;
  hangupCaller(endedBy: 'caller' | 'agent' | 'system'): void;
  dialplanHangup(priority: number, endedBy: 'system' | 'caller'): void;
  summarize(): void;
  secondsSince(micros: number): number;
}

interface Ring {
  readonly leg: MemberLeg;
  readonly member: QueueMember;
  readonly startedAt: number;
  readonly timer: TimerHandle;
}

/**
 * The caller inside Queue(): QueueCallerJoin, the members rung one after another (AgentCalled, ring-no-answer
 * and retry), and the ways out: a member answers, the caller hangs up (ABANDON), Queue()'s timeout, a digit of
 * the exit context, or nobody left to answer (leavewhenempty).
 */
export class QueueStay {
  readonly entry: QueueEntry;
  readonly segment: QueueSegment;
  readonly startedAt: number;
  private readonly timers: TimerHandle[] = [];
  private ring: Ring | null = null;
  private over = false;

  constructor(
    private readonly host: QueueStayHost,
    readonly queue: Queue,
    readonly priority: number,
  ) {
    const { pbx, caller } = host;
    pbx.step(caller, priority, 'Queue', `${queue.name},r,,,${queue.config.timeoutSec}`);
    for (const name of [
      'ANSWEREDTIME',
      'ANSWEREDTIME_MS',
      'DIALEDTIME',
      'DIALEDTIME_MS',
      'QUEUEWAIT',
      'QUEUEWAIT_MS',
    ]) {
      pbx.setVar(caller, name, '');
    }
    this.startedAt = pbx.now();
    this.entry = {
      channel: caller,
      joinedAt: pbx.now(),
      originalPosition: queue.entries.length + 1,
      retryAt: 0,
      ringing: false,
      tried: new Set(),
      offer: (member) => this.ringMember(member),
    };
    queue.entries.push(this.entry);
    if (queue.entries.length === 1) pbx.setDeviceState(`Queue:${queue.name}`, 'RINGING');
    pbx.emit(queueCallerJoin(caller, queue.name, this.entry.originalPosition, queue.entries.length));
    pbx.queueLog.write(queue.name, caller.uniqueid, 'NONE', 'ENTERQUEUE', [
      '',
      caller.callerNum ?? '',
      this.entry.originalPosition,
    ]);
    this.segment = {
      queue: queue.name,
      joinedAt: iso(pbx.now()),
      position: this.entry.originalPosition,
      outcome: null,
      agent: null,
      waitSec: 0,
      talkSec: 0,
      holdSec: 0,
      ringNoAnswers: 0,
    };
    host.record.segments.push(this.segment);
    const plan = host.currentPlan();
    this.timers.push(pbx.clock.after(plan.patienceSec, () => this.abandon('remote')));
    this.timers.push(pbx.clock.after(queue.config.timeoutSec, () => this.leave('timeout')));
    const exitKey = plan.exitKey;
    if (exitKey) this.timers.push(pbx.clock.after(exitKey.afterSec, () => this.leave('exit-key')));
    if (queue.config.leaveWhenEmpty) this.watchEmpty();
    pbx.scheduleDispatch(queue, true);
  }

  /** Whether `channel` is one of the channels of the member being rung. */
  rings(channel: Channel): boolean {
    return this.ring?.leg.channels.includes(channel) ?? false;
  }

  /** leavewhenempty: app_queue looks once a second (and between ring attempts) whether anyone could answer. */
  private watchEmpty(): void {
    this.timers.push(
      this.host.pbx.clock.after(1, () => {
        if (this.over) return;
        if (!this.ring && !this.host.pbx.hasUsableMembers(this.queue)) this.leave('exit-empty');
        else this.watchEmpty();
      }),
    );
  }

  private ringMember(member: QueueMember): void {
    if (this.over || this.ring) return;
    const { pbx, caller } = this.host;
    const decision = this.host.currentPlan().ring(this.host.nextAttempt());
    const memberTimeout = this.queue.config.memberTimeoutSec;
    const answers = decision.answer && decision.ringSec < memberTimeout;
    member.agent.engaged = true;
    this.entry.ringing = true;
    const leg = createMemberLeg(pbx, member.agent, originOf(caller), 'AppQueue', this.host, member.interface);
    leg.ring(answers, decision.ringSec);
    pbx.emit(
      agentCalled({
        caller,
        member: leg.one,
        queue: this.queue.name,
        interface: member.interface,
        memberName: member.memberName,
      }),
    );
    pbx.emit(dialBegin(caller, leg.one, leg.dialString, leg.dialView));
    const timer = answers
      ? pbx.clock.after(decision.ringSec, () => this.memberAnswered())
      : pbx.clock.after(memberTimeout, () => this.ringNoAnswer());
    this.ring = { leg, member, startedAt: pbx.now(), timer };
  }

  /** The member timeout ran out (or the member's channel was hung up): RINGNOANSWER, retry later. */
  ringNoAnswer(): void {
    const ring = this.ring;
    if (!ring) return;
    ring.timer.cancel();
    const { pbx, caller } = this.host;
    const ringMs = Math.round((pbx.now() - ring.startedAt) / 1000);
    const { member, leg } = ring;
    pbx.emit(
      agentRingNoAnswer({
        caller,
        member: leg.one,
        queue: this.queue.name,
        interface: member.interface,
        memberName: member.memberName,
        ringTimeMs: ringMs,
      }),
    );
    pbx.queueLog.write(this.queue.name, caller.uniqueid, member.memberName, 'RINGNOANSWER', [ringMs]);
    pbx.emit(dialEnd(caller, leg.one, 'NOANSWER'));
    this.dropRing();
    this.segment.ringNoAnswers++;
    this.entry.retryAt = pbx.now() + this.queue.config.retrySec * 1e6;
    pbx.scheduleDispatch(this.queue);
  }

  /** The caller leaves while a member rings: DialEnd CANCEL, RINGCANCELED, the member's channels go. */
  private cancelRing(): void {
    const ring = this.ring;
    if (!ring) return;
    const { pbx, caller } = this.host;
    ring.timer.cancel();
    pbx.emit(dialEnd(caller, ring.leg.one, 'CANCEL'));
    pbx.queueLog.write(this.queue.name, caller.uniqueid, ring.member.memberName, 'RINGCANCELED', [
      Math.round((pbx.now() - ring.startedAt) / 1000),
    ]);
    this.dropRing();
  }

  private dropRing(): void {
    const ring = this.ring!;
    this.ring = null;
    this.entry.ringing = false;
    ring.leg.cancel();
    ring.member.agent.engaged = false;
    this.host.pbx.scheduleDispatch(this.queue);
  }

  private memberAnswered(): void {
    const ring = this.ring;
    if (!ring) return;
    const { pbx, caller } = this.host;
    this.ring = null;
    ring.leg.answer();
    pbx.emit(dialEnd(caller, ring.leg.one, 'ANSWER'));
    const position = this.removeEntry();
    const holdSec = this.host.secondsSince(this.startedAt);
    pbx.setVar(caller, 'QUEUEPOSITION', position);
    pbx.setVar(caller, 'QUEUEWAIT', holdSec);
    pbx.setVar(caller, 'QUEUEWAIT_MS', Math.round((pbx.now() - this.startedAt) / 1000));
    this.close('answered', holdSec);
    this.segment.agent = ring.member.memberName;
    this.host.record.answeredAt ??= iso(pbx.now());
    this.host.answered(this, ring.leg, ring.member, holdSec, this.host.secondsSince(ring.startedAt));
    this.host.summarize();
  }

  /** Removes the caller from the queue: Queue:<q> device state, QueueCallerLeave. Returns its position. */
  private removeEntry(): number {
    const { pbx, caller } = this.host;
    const position = this.queue.position(this.entry);
    pbx.removeEntry(this.queue, this.entry);
    if (this.queue.entries.length === 0) pbx.setDeviceState(`Queue:${this.queue.name}`, 'NOT_INUSE');
    pbx.emit(queueCallerLeave(caller, this.queue.name, position, this.queue.entries.length));
    return position;
  }

  private close(outcome: QueueSegment['outcome'], waitSec: number): void {
    this.over = true;
    for (const timer of this.timers) timer.cancel();
    this.segment.outcome = outcome;
    this.segment.waitSec = waitSec;
    this.host.left(this);
  }

  /** app_queue's record_abandoned(): ABANDONED=TRUE and QueueCallerAbandon (for timeouts and EXITEMPTY too). */
  private recordAbandoned(position: number, holdSec: number): void {
    const { pbx, caller } = this.host;
    const waitedMs = Math.round((pbx.now() - this.startedAt) / 1000);
    pbx.setVar(caller, 'QUEUEWAIT', holdSec);
    pbx.setVar(caller, 'QUEUEWAIT_MS', waitedMs);
    pbx.setVar(caller, 'DIALEDTIME', holdSec);
    pbx.setVar(caller, 'DIALEDTIME_MS', waitedMs);
    pbx.setVar(caller, 'ANSWEREDTIME', 0);
    pbx.setVar(caller, 'ANSWEREDTIME_MS', 0);
    pbx.setVar(caller, 'ABANDONED', 'TRUE');
    pbx.emit(queueCallerAbandon(caller, this.queue.name, position, this.entry.originalPosition, holdSec));
    this.queue.recordAbandoned(holdSec);
  }

  /** Out of Queue() with ABANDON: the caller hung up, or was redirected away (`hangUp` false). */
  private abandonedBy(hangUp: boolean): void {
    const { pbx, caller } = this.host;
    this.cancelRing();
    const position = this.queue.position(this.entry);
    const holdSec = this.host.secondsSince(this.startedAt);
    this.recordAbandoned(position, holdSec);
    pbx.queueLog.write(this.queue.name, caller.uniqueid, 'NONE', 'ABANDON', [
      position,
      this.entry.originalPosition,
      holdSec,
    ]);
    this.removeEntry();
    if (hangUp) pbx.setVar(caller, 'QUEUEPOSITION', position);
    this.close('abandoned', holdSec);
  }

  /** The caller hangs up while waiting (`remote`: a BYE from the trunk; `soft`: an AMI Hangup). */
  abandon(how: 'remote' | 'soft'): void {
    if (this.over) return;
    const { pbx, caller } = this.host;
    pbx.emit(how === 'remote' ? hangupRequest(caller, 16) : softHangupRequest(caller, 16));
    this.abandonedBy(true);
    this.host.hangupCaller('caller');
  }

  /** Redirected out of Queue(): app_queue sees the channel leave and records an abandon. */
  redirectedAway(): void {
    if (!this.over) this.abandonedBy(false);
  }

  /** Queue() returns without an agent: its timeout, a digit of the exit context, or no one left to answer. */
  private leave(reason: 'timeout' | 'exit-key' | 'exit-empty'): void {
    if (this.over) return;
    const { pbx, caller } = this.host;
    this.cancelRing();
    const position = this.queue.position(this.entry);
    const holdSec = this.host.secondsSince(this.startedAt);
    const data = [position, this.entry.originalPosition, holdSec];
    const digit = this.host.currentPlan().exitKey?.digit ?? '1';
    if (reason === 'exit-key') {
      pbx.queueLog.write(this.queue.name, caller.uniqueid, 'NONE', 'EXITWITHKEY', [digit, ...data]);
    } else {
      this.recordAbandoned(position, holdSec);
      const event = reason === 'timeout' ? 'EXITWITHTIMEOUT' : 'EXITEMPTY';
      pbx.queueLog.write(this.queue.name, caller.uniqueid, 'NONE', event, data);
    }
    this.removeEntry();
    pbx.setVar(caller, 'QUEUEPOSITION', position);
    this.close(reason, holdSec);
    if (reason === 'exit-key') {
      caller.context = this.queue.config.exitContext;
      pbx.step(caller, 1, 'NoOp', `caller pressed ${digit}`, digit);
      pbx.step(caller, 2, 'Playback', 'custom/callback-requested');
      this.host.summarize();
      pbx.clock.after(4, () => this.host.dialplanHangup(3, 'system'));
      return;
    }
    pbx.setVar(caller, 'QUEUESTATUS', reason === 'timeout' ? 'TIMEOUT' : 'LEAVEEMPTY');
    this.host.dialplanHangup(this.priority + 1, 'system');
  }
}
