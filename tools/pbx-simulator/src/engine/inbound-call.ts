import { summarize, type LedgerCall } from '../ledger/ledger';
import { hangup, newchannel, newstate, softHangupRequest } from '../render/channel-events';
import { cdr, hangupExtra } from '../render/records';
import { CHANNEL_STATE, type Channel } from './channel';
import { Conversation, type ConversationHost } from './conversation';
import type { MemberLeg } from './member-leg';
import type { Pbx } from './pbx';
import type { InboundPlan } from './plans';
import type { QueueMember } from './queue';
import { iso, QueueStay, type QueueStayHost } from './queue-stay';

export { iso };

/**
 * A call from the trunk into a queue, from the INVITE to the last Hangup: the caller's channel
 * (`PJSIP/trunk-…`, context from-trunk), its stay in one or more queues, the members rung for it, and the
 * conversation with the agent who answered (see Conversation). Every step writes the AMI events a real
 * Asterisk 22 writes, the queue_log lines, and the call's ledger entry.
 */
export class InboundCall implements QueueStayHost, ConversationHost {
  readonly caller: Channel;
  readonly record: LedgerCall;
  private plan: InboundPlan;
  private stay: QueueStay | null = null;
  private conversation: Conversation | null = null;
  private attempts = 0;
  private ended = false;
  readonly outside = { talkSec: 0, holdSec: 0 };

  constructor(
    readonly pbx: Pbx,
    plan: InboundPlan,
    private readonly onEnd: (call: InboundCall) => void = () => {},
  ) {
    this.plan = plan;
    this.caller = pbx.newChannel(pbx.ids.pjsip('trunk'), null, {
      state: CHANNEL_STATE.ring,
      context: 'from-trunk',
      exten: plan.queue,
    });
    this.caller.setCaller(plan.callerNum, plan.callerName);
    this.caller.owner = this;
    this.record = pbx.ledger.open({
      callId: this.caller.linkedid,
      tenant: pbx.tenant,
      direction: 'inbound',
      origin: 'traffic',
      from: plan.callerNum,
      to: plan.queue,
      startedAt: iso(pbx.now()),
    });
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** The INVITE arrives: the from-trunk dialplan answers and sends the caller to the queue. */
  start(): void {
    const { pbx, caller } = this;
    pbx.emit(newchannel(caller));
    pbx.emitCel(caller, 'CHAN_START', { ani: true });
    pbx.step(caller, 1, 'NoOp', `inbound to queue ${this.plan.queue}`);
    if (pbx.astdb.get('DAYNIGHT/C0') === 'NIGHT') {
      this.closed();
      return;
    }
    pbx.step(caller, 2, 'Answer', '');
    this.answerCaller();
    pbx.step(caller, 3, 'Set', 'CHANNEL(language)=en');
    this.joinQueue(this.plan.queue, 4);
  }

  private answerCaller(): void {
    const { pbx, caller } = this;
    caller.state = CHANNEL_STATE.up;
    caller.answeredAt = pbx.now();
    pbx.emitCel(caller, 'ANSWER', { ani: true });
    pbx.emit(newstate(caller));
  }

  /** Night mode (FreePBX daynight: DAYNIGHT/C0 = NIGHT): an announcement instead of the queue. */
  private closed(): void {
    const { pbx, caller } = this;
    pbx.step(caller, 2, 'GotoIf', '1?night,1');
    pbx.step(caller, 1, 'Answer', '', 'night');
    this.answerCaller();
    pbx.step(caller, 2, 'Playback', 'custom/closed');
    this.record.outcome = 'closed';
    pbx.clock.after(6, () => this.dialplanHangup(3, 'system'));
  }

  // ---- the queue --------------------------------------------------------------------------------------

  private joinQueue(queueName: string, priority: number): void {
    const { pbx, caller } = this;
    const queue = pbx.queues.get(queueName);
    if (!queue) {
      // Queue() on an unknown queue: QUEUESTATUS=UNKNOWN, the dialplan goes on and hangs up.
      pbx.step(caller, priority, 'Queue', `${queueName},r,,,60`);
      pbx.setVar(caller, 'QUEUESTATUS', 'UNKNOWN');
      this.record.outcome ??= 'failed';
      this.dialplanHangup(priority + 1, 'system');
      return;
    }
    this.stay = new QueueStay(this, queue, priority);
  }

  nextAttempt(): number {
    return this.attempts++;
  }

  answered(stay: QueueStay, leg: MemberLeg, member: QueueMember, holdSec: number, ringSec: number): void {
    this.conversation = Conversation.fromQueue(this, {
      leg,
      member,
      queue: stay.queue,
      segment: stay.segment,
      holdSec,
      ringSec,
      queueStartedAt: stay.startedAt,
      position: stay.entry.originalPosition,
    });
  }

  left(stay: QueueStay): void {
    if (this.stay === stay) this.stay = null;
  }

  // ---- the caller's channel ends ------------------------------------------------------------------------

  /** The dialplan runs Hangup() on the caller's channel. */
  dialplanHangup(priority: number, endedBy: 'system' | 'caller'): void {
    if (this.ended) return;
    const { pbx, caller } = this;
    pbx.step(caller, priority, 'Hangup', '');
    pbx.emit(softHangupRequest(caller, 16));
    this.finishCaller(hangupExtra(16, 'dialplan/builtin', ''));
    this.end(endedBy);
  }

  /** After the caller hung up (the request already written): the channel's own end. */
  hangupCaller(endedBy: 'caller' | 'agent' | 'system'): void {
    this.pbx.emit(softHangupRequest(this.caller, 16));
    this.finishCaller(hangupExtra(16, '', ''));
    this.end(endedBy);
  }

  /** CEL, CDR and Hangup of the caller's channel. */
  finishCaller(celExtra: string, beforeHangup?: () => void): void {
    const { pbx, caller } = this;
    pbx.celEnd(caller, celExtra);
    pbx.emitCdr(() =>
      cdr({
        channel: caller,
        destination: this.plan.queue,
        destinationContext: 'from-trunk',
        destinationChannel: '',
        lastApplication: caller.application,
        lastData: caller.appData,
        endMicros: pbx.now(),
      }),
    );
    beforeHangup?.();
    pbx.emit(hangup(caller, 16));
    pbx.release(caller);
  }

  end(endedBy: 'caller' | 'agent' | 'system'): void {
    if (this.ended) return;
    this.ended = true;
    this.pbx.callsProcessed++;
    this.record.endedBy = endedBy;
    this.record.endedAt = iso(this.pbx.now());
    this.summarize();
    this.onEnd(this);
  }

  summarize(): void {
    summarize(this.record, this.outside);
  }

  currentPlan(): InboundPlan {
    return this.plan;
  }

  secondsSince(micros: number): number {
    return this.pbx.nowSec() - Math.floor(micros / 1e6);
  }

  /** After a blind transfer to a queue: the caller goes on in from-trunk at the queue's extension. */
  requeue(target: string): void {
    const { pbx, caller } = this;
    this.conversation = null;
    this.plan = this.plan.next();
    caller.context = 'from-trunk';
    pbx.step(caller, 1, 'NoOp', `inbound to queue ${target}`, target);
    this.joinQueue(target, 2);
  }

  conversationEnded(): void {
    this.conversation = null;
  }

  // ---- actions from AMI clients --------------------------------------------------------------------------

  hangupRequested(channel: Channel, _cause: number, how: 'remote' | 'soft'): void {
    if (this.ended) return;
    if (channel === this.caller) {
      if (this.stay) this.stay.abandon(how);
      else if (this.conversation) this.conversation.callerHangsUp(how);
      else this.dialplanHangup(this.caller.priority + 1, 'caller');
      return;
    }
    if (this.stay?.rings(channel)) {
      this.stay.ringNoAnswer();
      return;
    }
    this.conversation?.channelHungUp(channel);
  }

  redirect(channel: Channel, context: string, exten: string): boolean {
    if (this.ended) return false;
    if (channel !== this.caller) return this.conversation?.redirectAgent(channel) ?? false;
    if (this.stay) this.stay.redirectedAway();
    else this.conversation?.callerRedirected();
    this.goTo(context, exten);
    return true;
  }

  /** The caller continues at context,exten,1: a queue's extension joins that queue, anything else hangs up. */
  goTo(context: string, exten: string): void {
    const { pbx, caller } = this;
    caller.context = context;
    if (pbx.queues.has(exten)) {
      this.plan = this.plan.next();
      pbx.step(caller, 1, 'NoOp', `inbound to queue ${exten}`, exten);
      this.joinQueue(exten, 2);
      return;
    }
    this.record.outcome ??= 'redirected';
    pbx.step(caller, 1, 'Playback', 'custom/goodbye', exten);
    pbx.clock.after(2, () => this.dialplanHangup(2, 'system'));
  }

  transfer(channel: Channel, kind: 'blind' | 'attended', context: string, exten: string): boolean {
    if (this.ended || !this.conversation) return false;
    return this.conversation.transferBy(channel, kind, context, exten);
  }
}
