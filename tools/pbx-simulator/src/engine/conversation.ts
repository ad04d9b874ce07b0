import type { LedgerCall, QueueSegment } from '../ledger/ledger';
import {
  blindTransfer,
  bridgeCreate,
  bridgeDestroy,
  hangupRequest,
  hold,
  musicOnHoldStart,
  musicOnHoldStop,
  softHangupRequest,
  unhold,
} from '../render/channel-events';
import { agentComplete, agentConnect } from '../render/queue-events';
import { hangupExtra } from '../render/records';
import type { Bridge, Channel } from './channel';
import { enterBridge, leaveBridge } from './bridging';
import { Consultation } from './consultation';
import type { MemberLeg } from './member-leg';
import type { Pbx } from './pbx';
import type { InboundPlan } from './plans';
import type { Agent, Queue, QueueMember } from './queue';
import type { TimerHandle } from './scheduler';

/** What a conversation needs from the call it belongs to. */
export interface ConversationHost {
  readonly pbx: Pbx;
  readonly caller: Channel;
  readonly record: LedgerCall;
  readonly outside: { talkSec: number; holdSec: number };
  currentPlan(): InboundPlan;
  finishCaller(celExtra: string, beforeHangup?: () => void): void;
  end(endedBy: 'caller' | 'agent' | 'system'): void;
  goTo(context: string, exten: string): void;
  summarize(): void;
  secondsSince(micros: number): number;
  conversationEnded(): void;
}

/** The queue side of a conversation: app_queue reports its end (AgentComplete, COMPLETE*, transfers). */
interface QueueLink {
  readonly member: QueueMember;
  readonly queue: Queue;
  readonly segment: QueueSegment;
  readonly holdSec: number;
  readonly queueStartedAt: number;
  readonly position: number;
}

type Ending = 'agent' | 'caller' | 'transfer' | 'redirect';

/**
 * The caller bridged with an agent: hold and unhold, the agent or the caller hanging up, blind and attended
 * transfers. A conversation that began in a queue reports to app_queue; one reached by attended transfer does not.
 */
export class Conversation {
  private readonly timers: TimerHandle[] = [];
  private connectedAt: number;
  private heldSince: number | null = null;
  private heldSec = 0;
  private consult: Consultation | null = null;
  private done = false;

  private constructor(
    private readonly host: ConversationHost,
    private leg: MemberLeg,
    private agent: Agent,
    private agentName: string,
    private link: QueueLink | null,
    private readonly bridge: Bridge,
  ) {
    this.connectedAt = host.pbx.now();
  }

  /** app_queue connects the caller with the member who answered (AgentConnect, the bridge). */
  static fromQueue(
    host: ConversationHost,
    args: QueueLink & { leg: MemberLeg; ringSec: number },
  ): Conversation {
    const { pbx, caller } = host;
    const { leg, member, queue } = args;
    member.inCall = true;
    pbx.emit(
      agentConnect({
        caller,
        member: leg.one,
        queue: queue.name,
        interface: member.interface,
        memberName: member.memberName,
        holdTime: args.holdSec,
        ringTime: args.ringSec,
      }),
    );
    queue.recordConnected(args.holdSec);
    pbx.queueLog.write(queue.name, caller.uniqueid, member.memberName, 'CONNECT', [
      args.holdSec,
      leg.one.uniqueid,
      args.ringSec,
    ]);
    leg.bridged();
    const bridge: Bridge = { id: pbx.ids.bridgeId(), channels: [] };
    pbx.emit(bridgeCreate(bridge));
    const conversation = new Conversation(host, leg, member.agent, member.memberName, args, bridge);
    conversation.enter(bridge, leg.one);
    conversation.enter(bridge, caller, leg.one.name);
    pbx.setVar(leg.one, 'BRIDGEPEER', caller.name);
    pbx.setVar(caller, 'BRIDGEPEER', leg.one.name);
    conversation.script(host.currentPlan());
    return conversation;
  }

  private enter(bridge: Bridge, channel: Channel, peer?: string): void {
    enterBridge(this.host.pbx, bridge, channel, { peer, ani: channel === this.host.caller });
  }

  private leave(bridge: Bridge, channel: Channel): void {
    leaveBridge(this.host.pbx, bridge, channel, { ani: channel === this.host.caller });
  }

  /** Schedules what the plan says happens during the talk. */
  private script(plan: InboundPlan): void {
    const { pbx } = this.host;
    const leg = this.leg;
    const talkSec = Math.max(1, plan.talkSec);
    this.timers.push(pbx.clock.after(0.5, () => leg.startTalk(talkSec - 0.5)));
    const holdPlan = plan.hold;
    if (holdPlan && holdPlan.afterSec + holdPlan.durationSec < talkSec) {
      this.timers.push(pbx.clock.after(holdPlan.afterSec, () => this.holdStart()));
      this.timers.push(pbx.clock.after(holdPlan.afterSec + holdPlan.durationSec, () => this.holdEnd()));
    }
    const transfer = plan.transfer;
    if (transfer && transfer.afterSec < talkSec && this.link) {
      this.timers.push(
        pbx.clock.after(transfer.afterSec, () => {
          const ok =
            transfer.kind === 'blind'
              ? this.blindTransfer('from-trunk', transfer.target)
              : this.attendedTransfer(transfer.target, transfer.consultSec);
          if (!ok)
            this.timers.push(pbx.clock.after(talkSec - transfer.afterSec, () => this.endBy(plan.endedBy)));
        }),
      );
      return;
    }
    this.timers.push(pbx.clock.after(talkSec, () => this.endBy(plan.endedBy)));
  }

  private endBy(side: 'agent' | 'caller'): void {
    if (side === 'agent') this.agentHangsUp();
    else this.callerHangsUp('remote');
  }

  holdStart(): void {
    if (this.done || this.heldSince !== null) return;
    const { pbx, caller } = this.host;
    const musicClass = this.link?.queue.config.musicClass ?? 'default';
    pbx.emit(hold(this.leg.one, musicClass));
    pbx.emit(musicOnHoldStart(caller, musicClass));
    this.heldSince = pbx.now();
  }

  holdEnd(): void {
    if (this.done || this.heldSince === null) return;
    const { pbx, caller } = this.host;
    pbx.emit(unhold(this.leg.one));
    pbx.emit(musicOnHoldStop(caller));
    this.stopHoldClock();
  }

  private stopHoldClock(): void {
    if (this.heldSince === null) return;
    this.heldSec += Math.round((this.host.pbx.now() - this.heldSince) / 1e6);
    this.heldSince = null;
  }

  /** The agent hangs up (the agents' dialplan ends its Wait): COMPLETEAGENT. */
  agentHangsUp(): void {
    if (this.done) return;
    const { pbx, caller } = this.host;
    const leg = this.leg;
    this.stopTimers();
    this.countCall();
    leg.agentHangsUp();
    const talkSec = this.host.secondsSince(this.connectedAt);
    this.complete('agent', talkSec, 'COMPLETEAGENT');
    this.stopMusic();
    pbx.setVar(leg.one, 'BRIDGEPEER', '');
    pbx.setVar(caller, 'BRIDGEPEER', '');
    leg.leftBridge();
    this.leave(this.bridge, leg.one);
    this.leave(this.bridge, caller);
    this.answeredTimes(talkSec);
    pbx.emit(softHangupRequest(caller, 16));
    this.host.finishCaller(hangupExtra(16, '', 'ANSWER'));
    pbx.emit(bridgeDestroy(this.bridge));
    leg.endRecords();
    leg.hangupBridged();
    this.finish(talkSec, 'agent');
  }

  /** The caller hangs up during the conversation: COMPLETECALLER. */
  callerHangsUp(how: 'remote' | 'soft'): void {
    if (this.done) return;
    const { pbx, caller } = this.host;
    const leg = this.leg;
    this.stopTimers();
    this.cancelConsult();
    pbx.emit(how === 'remote' ? hangupRequest(caller, 16) : softHangupRequest(caller, 16));
    const talkSec = this.host.secondsSince(this.connectedAt);
    this.stopMusic();
    this.leave(this.bridge, caller);
    this.complete('caller', talkSec, 'COMPLETECALLER');
    pbx.setVar(leg.one, 'BRIDGEPEER', '');
    pbx.setVar(caller, 'BRIDGEPEER', '');
    if (leg.one.bridge === this.bridge) this.leave(this.bridge, leg.one);
    leg.leftBridge();
    this.answeredTimes(talkSec);
    this.host.finishCaller(hangupExtra(16, caller.name, 'ANSWER'));
    pbx.emit(bridgeDestroy(this.bridge));
    this.countCall();
    leg.hangupFromBridge();
    this.finish(talkSec, 'caller');
  }

  /** A channel of the agent's side was hung up from outside (AMI Hangup). */
  channelHungUp(channel: Channel): void {
    if (this.done) return;
    if (this.consult?.owns(channel)) {
      this.consult.fail('CANCEL', this.bridge);
      return;
    }
    this.agentHangsUp();
  }

  /** Redirect of the agent's channel: the caller is left alone in the bridge and hung up. */
  redirectAgent(channel: Channel): boolean {
    if (this.done || !channel.name.startsWith(this.leg.one.name.replace(/;1$/, ''))) return false;
    this.agentHangsUp();
    return true;
  }

  /**
   * Redirect of the caller out of the bridge. app_queue sees the member's channel hang up when the bridge
   * dissolves, so it reports COMPLETEAGENT (not a transfer).
   */
  callerRedirected(): void {
    if (this.done) return;
    const { pbx, caller } = this.host;
    const leg = this.leg;
    this.stopTimers();
    this.cancelConsult();
    const talkSec = this.host.secondsSince(this.connectedAt);
    this.stopMusic();
    this.leave(this.bridge, caller);
    pbx.setVar(leg.one, 'BRIDGEPEER', '');
    pbx.setVar(caller, 'BRIDGEPEER', '');
    this.leave(this.bridge, leg.one);
    leg.leftBridge();
    pbx.emit(bridgeDestroy(this.bridge));
    this.countCall();
    leg.hangupFromBridge();
    this.complete('agent', talkSec, 'COMPLETEAGENT');
    this.release(talkSec);
    this.host.conversationEnded();
  }

  /**
   * AMI BlindTransfer / Atxfer with the agent's channel as transferer. Checked now, carried out on the next
   * tick: the action's response goes out before the transfer's events, as with Asterisk.
   */
  transferBy(channel: Channel, kind: 'blind' | 'attended', context: string, exten: string): boolean {
    if (this.done || this.consult || !channel.name.startsWith(this.leg.one.name.replace(/;1$/, '')))
      return false;
    if (kind === 'attended') {
      const target = this.host.pbx.agentByExt(exten);
      if (!target || target === this.agent) return false;
    }
    this.host.pbx.clock.after(0, () => {
      if (kind === 'blind') this.blindTransfer(context, exten);
      else this.attendedTransfer(exten, 30);
    });
    return true;
  }

  /** The agent transfers the caller to another extension (a queue): BlindTransfer, BLINDTRANSFER. */
  blindTransfer(context: string, target: string): boolean {
    if (this.done || this.consult) return false;
    const { pbx, caller, record } = this.host;
    const leg = this.leg;
    this.stopTimers();
    const talkSec = this.host.secondsSince(this.connectedAt);
    this.stopMusic();
    pbx.emitCel(leg.one, 'BLINDTRANSFER', {
      extra: JSON.stringify({ extension: target, context, bridge_id: this.bridge.id }),
    });
    pbx.emit(blindTransfer(leg.one, caller, this.bridge, context, target));
    this.complete('transfer', talkSec, 'BLINDTRANSFER', [target, context]);
    record.transfers.push({
      kind: 'blind',
      from: this.agentName,
      to: target,
      at: new Date(pbx.now() / 1000).toISOString(),
    });
    pbx.setVar(leg.one, 'BRIDGEPEER', '');
    pbx.setVar(caller, 'BRIDGEPEER', '');
    this.leave(this.bridge, caller);
    this.leave(this.bridge, leg.one);
    leg.leftBridge();
    pbx.emit(bridgeDestroy(this.bridge));
    this.countCall();
    leg.hangupFromBridge();
    this.release(talkSec);
    this.host.conversationEnded();
    this.host.goTo(context, target);
    return true;
  }

  /** Atxfer to an agent's extension: the caller on hold, a consultation call, then the bridges merge. */
  attendedTransfer(targetExt: string, consultSec: number): boolean {
    if (this.done || this.consult) return false;
    const { pbx, caller } = this.host;
    const target = pbx.agentByExt(targetExt);
    if (!target || target === this.agent) return false;
    this.stopTimers();
    // bridge_basic.c holds the transferee bridge while the transferer consults (ast_bridge_channel_write_hold:
    // a Hold event on the caller's channel, then its music); consultation.ts unholds it when it ends.
    const musicClass = this.link?.queue.config.musicClass ?? 'default';
    if (this.heldSince === null) pbx.emit(hold(caller, musicClass));
    pbx.emit(musicOnHoldStart(caller, musicClass));
    this.heldSince ??= pbx.now();
    this.consult = new Consultation(pbx, target, this.leg.one, caller, caller.owner!, consultSec, {
      completed: () => this.completeAttended(),
      failed: () => this.consultFailed(),
    });
    return true;
  }

  private consultFailed(): void {
    this.consult = null;
    this.stopHoldClock();
    // Back with the caller: the conversation goes on for a while and ends as planned.
    const plan = this.host.currentPlan();
    this.timers.push(this.host.pbx.clock.after(10, () => this.endBy(plan.endedBy)));
  }

  private completeAttended(): void {
    const consult = this.consult;
    if (!consult || this.done || !consult.announce(this.bridge)) return;
    const { pbx, record } = this.host;
    const oldLeg = this.leg;
    const talkSec = this.host.secondsSince(this.connectedAt);
    this.stopHoldClock();
    this.complete('transfer', talkSec, 'ATTENDEDTRANSFER', ['BRIDGE', this.bridge.id]);
    record.transfers.push({
      kind: 'attended',
      from: this.agentName,
      to: consult.agent.name,
      at: new Date(pbx.now() / 1000).toISOString(),
    });
    consult.merge(this.bridge);
    this.countCall();
    oldLeg.hangupFromBridge();
    this.accountTalk(talkSec);
    this.agent.engaged = false;
    if (this.link) pbx.scheduleDispatch(this.link.queue);
    // The conversation goes on with the second agent, outside app_queue.
    this.consult = null;
    this.leg = consult.leg;
    this.agent = consult.agent;
    this.agentName = consult.agent.name;
    this.link = null;
    this.connectedAt = pbx.now();
    this.heldSec = 0;
    const plan = this.host.currentPlan().next();
    this.timers.push(pbx.clock.after(Math.max(1, plan.talkSec), () => this.endBy(plan.endedBy)));
  }

  private cancelConsult(): void {
    this.consult?.fail('CANCEL', this.bridge);
  }

  private stopTimers(): void {
    for (const timer of this.timers) timer.cancel();
    this.timers.length = 0;
  }

  private stopMusic(): void {
    if (this.heldSince === null) return;
    this.host.pbx.emit(musicOnHoldStop(this.host.caller));
    this.stopHoldClock();
  }

  /** The member's counters move when the conversation ends (before its device state says NOT_INUSE). */
  private countCall(): void {
    const link = this.link;
    if (!link) return;
    link.member.callsTaken++;
    link.member.lastCall = this.host.pbx.nowSec();
    link.member.inCall = false;
  }

  /** AgentComplete and the queue_log line, for a conversation app_queue still follows. */
  private complete(
    reason: Exclude<Ending, 'redirect'>,
    talkSec: number,
    logEvent: string,
    logPrefix: readonly (string | number)[] = [],
  ): void {
    const link = this.link;
    if (!link) return;
    const { pbx, caller } = this.host;
    pbx.emit(
      agentComplete({
        caller,
        member: this.leg.one,
        queue: link.queue.name,
        interface: link.member.interface,
        memberName: link.member.memberName,
        holdTime: link.holdSec,
        talkTime: talkSec,
        reason,
      }),
    );
    pbx.queueLog.write(link.queue.name, caller.uniqueid, link.member.memberName, logEvent, [
      ...logPrefix,
      link.holdSec,
      talkSec,
      link.position,
    ]);
    link.queue.recordCompleted(link.holdSec, talkSec);
  }

  private answeredTimes(talkSec: number): void {
    const { pbx, caller } = this.host;
    const queueStart = this.link?.queueStartedAt ?? this.connectedAt;
    pbx.setVar(caller, 'ANSWEREDTIME', talkSec);
    pbx.setVar(caller, 'ANSWEREDTIME_MS', Math.round((pbx.now() - this.connectedAt) / 1000));
    pbx.setVar(caller, 'DIALEDTIME', this.host.secondsSince(queueStart));
    pbx.setVar(caller, 'DIALEDTIME_MS', Math.round((pbx.now() - queueStart) / 1000));
  }

  private accountTalk(talkSec: number): void {
    this.stopHoldClock();
    if (this.link) {
      this.link.segment.talkSec += talkSec;
      this.link.segment.holdSec += this.heldSec;
    } else {
      this.host.outside.talkSec += talkSec;
      this.host.outside.holdSec += this.heldSec;
    }
    this.heldSec = 0;
  }

  private release(talkSec: number): void {
    this.done = true;
    this.accountTalk(talkSec);
    this.agent.engaged = false;
    const link = this.link;
    if (link) link.member.wrapupUntil = this.host.pbx.now() + link.queue.config.wrapupSec * 1e6;
    for (const member of this.host.pbx.memberships(this.agent)) this.host.pbx.scheduleDispatch(member.queue);
    this.host.summarize();
  }

  private finish(talkSec: number, endedBy: 'agent' | 'caller'): void {
    this.release(talkSec);
    this.host.conversationEnded();
    this.host.end(endedBy);
  }
}
