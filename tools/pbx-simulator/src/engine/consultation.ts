import {
  attendedTransfer,
  bridgeCreate,
  bridgeDestroy,
  dialBegin,
  dialEnd,
  musicOnHoldStop,
  unhold,
} from '../render/channel-events';
import { enterBridge, leaveBridge } from './bridging';
import type { Bridge, Channel, ChannelOwner } from './channel';
import { createMemberLeg, originOf, type MemberLeg } from './member-leg';
import type { Pbx } from './pbx';
import type { Agent } from './queue';
import type { TimerHandle } from './scheduler';

export interface ConsultationEvents {
  /** The consultation has lasted its time: the transfer completes. */
  completed(): void;
  /** The target did not answer, or hung up: the agent is back with the caller. */
  failed(): void;
}

/**
 * The consultation call of an attended transfer (Atxfer): the transferer's channel dials the target agent, and
 * once answered the two talk in a bridge of their own while the caller hears music; then the bridges merge.
 */
export class Consultation {
  readonly leg: MemberLeg;
  private bridge: Bridge | null = null;
  private timer: TimerHandle;

  constructor(
    private readonly pbx: Pbx,
    readonly agent: Agent,
    private readonly transferer: Channel,
    private readonly transferee: Channel,
    owner: ChannelOwner,
    consultSec: number,
    private readonly events: ConsultationEvents,
  ) {
    const free = !agent.engaged && pbx.status(agent) <= 1;
    agent.engaged = true;
    this.leg = createMemberLeg(pbx, agent, originOf(transferer), 'AppDial', owner);
    const ringSec = 2 + pbx.noise.next() * 4;
    this.leg.ring(free, ringSec);
    pbx.emit(dialBegin(transferer, this.leg.one, this.leg.dialString, this.leg.dialView));
    this.timer = free
      ? pbx.clock.after(ringSec, () => this.answered(consultSec))
      : pbx.clock.after(20, () => this.fail('NOANSWER'));
  }

  owns(channel: Channel): boolean {
    return this.leg.channels.includes(channel);
  }

  private answered(consultSec: number): void {
    const { pbx, transferer } = this;
    const target = this.leg.one;
    this.leg.answer();
    pbx.emit(dialEnd(transferer, target, 'ANSWER'));
    if (transferer.bridge) leaveBridge(pbx, transferer.bridge, transferer);
    const second: Bridge = { id: pbx.ids.bridgeId(), channels: [] };
    this.bridge = second;
    pbx.emit(bridgeCreate(second));
    enterBridge(pbx, second, transferer);
    enterBridge(pbx, second, target, { peer: transferer.name });
    this.leg.bridged();
    pbx.clock.after(0.5, () => this.leg.startTalk(consultSec + 600));
    this.timer = pbx.clock.after(consultSec, () => this.events.completed());
  }

  /** Ends the consultation without a transfer; the transferer goes back to the caller's bridge. */
  fail(status: 'NOANSWER' | 'CANCEL', callerBridge?: Bridge): void {
    const { pbx, transferer } = this;
    this.timer.cancel();
    const second = this.bridge;
    if (second) {
      leaveBridge(pbx, second, transferer);
      if (this.leg.one.bridge) leaveBridge(pbx, second, this.leg.one);
      pbx.emit(bridgeDestroy(second));
      this.leg.hangupFromBridge();
      if (callerBridge) enterBridge(pbx, callerBridge, transferer, { peer: this.transferee.name });
    } else {
      pbx.emit(dialEnd(transferer, this.leg.one, status));
      this.leg.cancel();
    }
    this.agent.engaged = false;
    pbx.emit(unhold(this.transferee));
    pbx.emit(musicOnHoldStop(this.transferee));
    this.events.failed();
  }

  /** AttendedTransfer (DestType Bridge): announced before app_queue's AgentComplete. */
  announce(callerBridge: Bridge): boolean {
    const second = this.bridge;
    if (!second) return false;
    const { pbx, transferer } = this;
    pbx.emit(
      attendedTransfer({
        origTransferer: transferer,
        origBridge: callerBridge,
        secondTransferer: transferer,
        secondBridge: second,
        transferee: this.transferee,
        target: this.leg.one,
      }),
    );
    pbx.emitCel(transferer, 'ATTENDEDTRANSFER', {
      extra: JSON.stringify({
        bridge1_id: callerBridge.id,
        channel2_name: this.leg.one.name,
        bridge2_id: second.id,
      }),
    });
    return true;
  }

  /** The target moves into the caller's bridge, the consultation bridge goes; the transferer is left out. */
  merge(callerBridge: Bridge): void {
    const second = this.bridge!;
    const { pbx, transferer, transferee } = this;
    const target = this.leg.one;
    leaveBridge(pbx, second, target);
    enterBridge(pbx, callerBridge, target, { peer: transferee.name });
    pbx.emit(unhold(transferee));
    pbx.emit(musicOnHoldStop(transferee));
    leaveBridge(pbx, second, transferer);
    pbx.emit(bridgeDestroy(second));
    pbx.setVar(target, 'BRIDGEPEER', transferee.name);
    pbx.setVar(transferee, 'BRIDGEPEER', target.name);
  }
}
