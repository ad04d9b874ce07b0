import type { LedgerCall } from '../ledger/ledger';
import {
  bridgeCreate,
  bridgeDestroy,
  bridgeEnter,
  bridgeLeave,
  dialBegin,
  dialEnd,
  hangup,
  hangupRequest,
  newCallerid,
  newchannel,
  newstate,
  originateResponse,
  softHangupRequest,
} from '../render/channel-events';
import { bridgeExtra, cdr, hangupExtra } from '../render/records';
import { CHANNEL_STATE, type Bridge, type Channel, type ChannelOwner } from './channel';
import { iso } from './inbound-call';
import { createMemberLeg, type MemberLeg } from './member-leg';
import type { Pbx } from './pbx';
import type { DirectPlan } from './plans';
import type { Agent } from './queue';
import type { TimerHandle } from './scheduler';

/** The called side: another agent's phone, or a number out through the trunk. */
export type DirectTarget =
  { readonly kind: 'ext'; readonly agent: Agent } | { readonly kind: 'number'; readonly number: string };

/** An Originate: the agent's channel is called first, then the dialplan calls the target (click-to-call). */
export interface OriginateRequest {
  readonly actionId: string | undefined;
  /** The Channel header as given (`PJSIP/101`, `Local/101@agents`). */
  readonly channel: string;
  readonly context: string;
  readonly exten: string;
  readonly callerIdNum: string | null;
  readonly callerIdName: string | null;
  readonly timeoutSec: number;
}

/**
 * A call that does not go through a queue: an agent calling a colleague (from-internal → PJSIP/102) or a
 * customer (→ PJSIP/<number>@trunk), by hand or through AMI Originate.
 */
export class DirectCall implements ChannelOwner {
  private calling: Channel | null = null;
  private callingLeg: MemberLeg | null = null;
  private called: Channel | null = null;
  private calledLeg: MemberLeg | null = null;
  private bridge: Bridge | null = null;
  private timer: TimerHandle | null = null;
  private answeredAt = 0;
  private record: LedgerCall | null = null;
  private ended = false;

  constructor(
    private readonly pbx: Pbx,
    private readonly from: Agent,
    private readonly target: DirectTarget,
    private readonly plan: DirectPlan,
    private readonly onEnd: (call: DirectCall) => void = () => {},
  ) {}

  /** The agent picks up the phone and dials. */
  start(): void {
    const { pbx, from } = this;
    const channel = pbx.newChannel(pbx.ids.pjsip(from.ext), null, {
      state: CHANNEL_STATE.ring,
      context: 'from-internal',
      exten: this.targetExten(),
    });
    channel.setCaller(from.ext, from.name);
    channel.owner = this;
    this.calling = channel;
    from.engaged = true;
    this.open('traffic');
    pbx.emit(newchannel(channel));
    pbx.emitCel(channel, 'CHAN_START', { ani: true });
    this.dial(channel, 1);
  }

  /** Originate: ring the agent's channel; when it answers, run the dialplan at context/exten. */
  originate(request: OriginateRequest): void {
    const { pbx, from } = this;
    from.engaged = true;
    const leg = createMemberLeg(
      pbx,
      from,
      { callerNum: request.callerIdNum, callerName: request.callerIdName, exten: from.ext, linkedid: null },
      'AppDial2',
      this,
      request.channel,
    );
    this.callingLeg = leg;
    const ringSec = this.plan.answerAfterSec === null ? null : Math.min(this.plan.answerAfterSec, 4);
    const answers = ringSec !== null && ringSec < request.timeoutSec;
    leg.ring(answers, ringSec ?? 0);
    pbx.emit(dialBegin(null, leg.one, request.channel.replace(/^Local\//, ''), leg.dialView));
    if (!answers) {
      this.timer = pbx.clock.after(request.timeoutSec, () => {
        pbx.emit(dialEnd(null, leg.one, 'NOANSWER'));
        leg.cancel();
        pbx.emit(
          originateResponse({
            actionId: request.actionId,
            success: false,
            channel: request.channel,
            context: request.context,
            exten: request.exten,
            reason: 3,
            uniqueid: '<null>',
            callerNum: request.callerIdNum ?? '<unknown>',
            callerName: request.callerIdName ?? '<unknown>',
          }),
        );
        this.finish('system');
      });
      return;
    }
    this.timer = pbx.clock.after(ringSec, () => {
      leg.answer();
      pbx.emit(dialEnd(null, leg.one, 'ANSWER'));
      const one = leg.one;
      one.context = request.context;
      one.setCaller(request.callerIdNum ?? from.ext, request.callerIdName ?? from.name);
      this.calling = one;
      this.open('originate');
      pbx.emit(
        originateResponse({
          actionId: request.actionId,
          success: true,
          channel: one.name,
          context: request.context,
          exten: request.exten,
          reason: 4,
          uniqueid: one.uniqueid,
          callerNum: one.callerNum ?? '<unknown>',
          callerName: one.callerName ?? '<unknown>',
        }),
      );
      pbx.clock.after(0.5, () => leg.startTalk(this.plan.talkSec + 30));
      one.exten = request.exten;
      this.dial(one, 1);
    });
  }

  private targetExten(): string {
    return this.target.kind === 'ext' ? this.target.agent.ext : this.target.number;
  }

  private open(origin: 'traffic' | 'originate'): void {
    const calling = this.calling!;
    this.record = this.pbx.ledger.open({
      callId: calling.linkedid,
      tenant: this.pbx.tenant,
      direction: this.target.kind === 'ext' ? 'internal' : 'outbound',
      origin,
      from: this.from.ext,
      to: this.targetExten(),
      startedAt: iso(this.pbx.now()),
    });
    this.record.agent = this.from.name;
  }

  /** from-internal: mark the caller's device in use, then Dial(). */
  private dial(calling: Channel, priority: number): void {
    const { pbx, target } = this;
    pbx.step(calling, priority, 'Set', `DEVICE_STATE(${this.from.stateInterface})=INUSE`);
    pbx.setDeviceState(this.from.stateInterface, 'INUSE');
    const dialString = target.kind === 'ext' ? `PJSIP/${target.agent.ext}` : `PJSIP/${target.number}@trunk`;
    pbx.step(calling, priority + 1, 'Dial', `${dialString},30`);
    const busy =
      this.plan.busy || (target.kind === 'ext' && (target.agent.engaged || pbx.status(target.agent) > 1));
    if (target.kind === 'ext') {
      target.agent.engaged = !busy || target.agent.engaged;
      const leg = createMemberLeg(
        pbx,
        target.agent,
        {
          callerNum: calling.callerNum,
          callerName: calling.callerName,
          exten: calling.exten,
          linkedid: calling.linkedid,
        },
        'AppDial',
        this,
        `PJSIP/${target.agent.ext}`,
      );
      this.calledLeg = busy ? null : leg;
      this.called = leg.one;
      if (busy) {
        pbx.emit(newchannel(leg.one));
        pbx.emit(dialBegin(calling, leg.one, dialString));
        this.unanswered('BUSY', 17);
        return;
      }
      leg.ring(this.plan.answerAfterSec !== null, this.plan.answerAfterSec ?? 0);
      pbx.emit(dialBegin(calling, leg.one, dialString));
    } else {
      const trunk = pbx.newChannel(pbx.ids.pjsip('trunk'), calling.linkedid, {
        state: CHANNEL_STATE.down,
        context: 'from-trunk',
        exten: target.number,
      });
      trunk.setCaller(target.number, null);
      trunk.setConnected(calling.callerNum, calling.callerName);
      trunk.owner = this;
      this.called = trunk;
      pbx.emit(newchannel(trunk));
      pbx.emit(newCallerid(trunk));
      pbx.emitCel(trunk, 'CHAN_START');
      pbx.emit(dialBegin(calling, trunk, `${target.number}@trunk`));
      if (busy) {
        this.timer = pbx.clock.after(1 + pbx.noise.next() * 2, () => this.unanswered('BUSY', 17));
        return;
      }
      trunk.state = CHANNEL_STATE.ringing;
      pbx.emit(newstate(trunk));
    }
    const answerAfter = this.plan.answerAfterSec;
    this.timer =
      answerAfter === null || answerAfter >= 30
        ? pbx.clock.after(30, () => this.unanswered('NOANSWER', 19))
        : pbx.clock.after(answerAfter, () => this.answered());
  }

  private answered(): void {
    const { pbx } = this;
    const calling = this.calling!;
    const called = this.called!;
    if (this.calledLeg) {
      this.calledLeg.answer();
    } else {
      called.state = CHANNEL_STATE.up;
      called.answeredAt = pbx.now();
      pbx.emitCel(called, 'ANSWER');
      pbx.emit(newstate(called));
    }
    if (calling.state !== CHANNEL_STATE.up) {
      calling.state = CHANNEL_STATE.up;
      calling.answeredAt = pbx.now();
      pbx.emitCel(calling, 'ANSWER', { ani: true });
      pbx.emit(newstate(calling));
    }
    pbx.emit(dialEnd(calling, called, 'ANSWER'));
    this.record!.answeredAt = iso(pbx.now());
    this.record!.outcome = 'answered';
    this.answeredAt = pbx.now();
    const bridge: Bridge = { id: pbx.ids.bridgeId(), channels: [] };
    this.bridge = bridge;
    pbx.emit(bridgeCreate(bridge));
    for (const channel of [called, calling]) {
      bridge.channels.push(channel);
      channel.bridge = bridge;
      pbx.emitCel(channel, 'BRIDGE_ENTER', { extra: bridgeExtra(bridge.id) });
      pbx.emit(bridgeEnter(bridge, channel));
    }
    this.calledLeg?.bridged();
    const talkSec = Math.max(1, this.plan.talkSec);
    pbx.clock.after(0.5, () => this.calledLeg?.startTalk(talkSec - 0.5));
    this.timer = pbx.clock.after(talkSec, () =>
      this.hangUp(this.plan.endedBy === 'caller' ? calling : called, 'remote'),
    );
  }

  private unanswered(status: 'NOANSWER' | 'BUSY', cause: number): void {
    const { pbx } = this;
    const calling = this.calling!;
    const called = this.called!;
    pbx.emit(dialEnd(calling, called, status));
    if (this.calledLeg) {
      this.calledLeg.cancel();
    } else {
      pbx.celEnd(called, hangupExtra(cause, '', status));
      pbx.emit(hangup(called, cause));
      pbx.release(called);
    }
    if (this.target.kind === 'ext' && status === 'NOANSWER') this.target.agent.engaged = false;
    this.record!.outcome = status === 'BUSY' ? 'busy' : 'no-answer';
    pbx.setVar(calling, 'DIALSTATUS', status);
    pbx.step(calling, calling.priority + 1, 'Hangup', '');
    pbx.emit(softHangupRequest(calling, 16));
    this.endCalling(16);
    this.finish('system');
  }

  /** One side hangs up a connected call; the bridge dissolves and the other side is hung up. */
  private hangUp(first: Channel, how: 'remote' | 'soft'): void {
    if (this.ended || !this.bridge) return;
    const { pbx } = this;
    this.timer?.cancel();
    const calling = this.calling!;
    const called = this.called!;
    const second = first === calling ? called : calling;
    pbx.emit(how === 'remote' ? hangupRequest(first, 16) : softHangupRequest(first, 16));
    for (const channel of [first, second]) {
      const bridge = this.bridge;
      bridge.channels.splice(bridge.channels.indexOf(channel), 1);
      channel.bridge = null;
      pbx.emitCel(channel, 'BRIDGE_EXIT', { extra: bridgeExtra(bridge.id) });
      pbx.emit(bridgeLeave(bridge, channel));
    }
    pbx.emit(bridgeDestroy(this.bridge));
    this.bridge = null;
    this.record!.talkSec = pbx.nowSec() - Math.floor(this.answeredAt / 1e6);
    const order = first === calling ? [calling, called] : [called, calling];
    for (const channel of order) {
      if (channel === called) this.endCalled(first === called);
      else this.endCalling(16);
    }
    this.finish(first === calling ? 'agent' : this.target.kind === 'ext' ? 'agent' : 'caller');
  }

  private endCalled(byItself: boolean): void {
    const { pbx } = this;
    const called = this.called!;
    if (this.calledLeg) {
      if (byItself) {
        this.calledLeg.endRecords();
        this.calledLeg.hangupBridged();
      } else {
        this.calledLeg.hangupFromBridge();
      }
      if (this.target.kind === 'ext') this.target.agent.engaged = false;
      return;
    }
    if (!byItself) pbx.emit(softHangupRequest(called, 16));
    pbx.celEnd(called, hangupExtra(16, '', 'ANSWER'));
    pbx.emit(hangup(called, 16));
    pbx.release(called);
  }

  private endCalling(cause: number): void {
    const { pbx } = this;
    const calling = this.calling!;
    if (calling.hungUp) return;
    if (this.callingLeg) {
      this.callingLeg.hangupFromBridge();
    } else {
      pbx.celEnd(calling, hangupExtra(cause, '', ''));
      pbx.emitCdr(() =>
        cdr({
          channel: calling,
          destination: this.targetExten(),
          destinationContext: calling.context,
          destinationChannel: this.called?.name ?? '',
          lastApplication: 'Dial',
          lastData: calling.appData,
          endMicros: pbx.now(),
        }),
      );
      pbx.emit(hangup(calling, cause));
      pbx.release(calling);
    }
    pbx.setDeviceState(this.from.stateInterface, 'NOT_INUSE');
  }

  private finish(endedBy: 'caller' | 'agent' | 'system'): void {
    if (this.ended) return;
    this.ended = true;
    this.from.engaged = false;
    this.pbx.callsProcessed++;
    if (this.record) {
      this.record.endedBy = endedBy;
      this.record.endedAt = iso(this.pbx.now());
    }
    for (const member of this.pbx.memberships(this.from)) this.pbx.scheduleDispatch(member.queue);
    this.onEnd(this);
  }

  // ---- actions --------------------------------------------------------------------------------------------

  hangupRequested(channel: Channel, _cause: number, how: 'remote' | 'soft'): void {
    if (this.ended) return;
    if (this.bridge && (channel === this.calling || channel === this.called)) {
      this.hangUp(channel, how);
      return;
    }
    if (this.bridge && this.calledLeg && channel.name.startsWith(this.called!.name.replace(/;1$/, ''))) {
      this.hangUp(this.called!, how);
      return;
    }
    if (this.called && !this.bridge) {
      this.timer?.cancel();
      this.unanswered('NOANSWER', 16);
    }
  }

  redirect(): boolean {
    return false;
  }

  transfer(): boolean {
    return false;
  }
}
