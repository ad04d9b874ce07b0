import {
  deviceStateChange,
  hangup,
  hangupRequest,
  localBridge,
  newCallerid,
  newchannel,
  newConnectedLine,
  newstate,
  softHangupRequest,
} from '../render/channel-events';
import type { ChannelView } from '../render/blocks';
import { cdr, hangupExtra } from '../render/records';
import { CHANNEL_STATE, type Channel, type ChannelOwner } from './channel';
import type { Pbx } from './pbx';
import type { Agent } from './queue';

/**
 * The channel(s) that ring an agent for a caller, and what the agent's phone does with them. Members on Local
 * channels (`Local/101@agents/n`) run the agents' dialplan of the recorded server: it sets the Custom device
 * state (the member's state interface), waits the ring time, answers, waits the talk time and hangs up.
 */
export interface MemberLeg {
  /** The channel the caller is bridged with (`Local/…;1`, or the device channel itself). */
  readonly one: Channel;
  /** Every channel of the leg (both halves of a Local channel). */
  readonly channels: readonly Channel[];
  readonly dialString: string;
  /** How DialBegin shows the leg: the snapshot before app_queue copied the caller's location onto it. */
  readonly dialView: ChannelView;
  ring(answer: boolean, ringSec: number): void;
  /** The agent picks up: everything before the caller's DialEnd. */
  answer(): void;
  /** After BridgeEnter: the agent's dialplan marks the device in use (half a second after the bridge). */
  startTalk(talkSec: number): void;
  /** Device state events after the caller was bridged. */
  bridged(): void;
  /** The agent hangs up: the far half goes first and asks the bridged half to hang up. */
  agentHangsUp(): void;
  /** The bridged half's own end, after the caller is gone: CEL records first, then the Hangup. */
  endRecords(): void;
  hangupBridged(): void;
  /** The caller (or a transfer) took the bridge away: the agent's side is hung up. */
  hangupFromBridge(): void;
  /** A ring that was not answered ends (no answer, or the caller left). */
  cancel(): void;
  /** After BridgeLeave of the bridged half. */
  leftBridge(): void;
}

/** Who the leg is called for: caller ID, the caller's extension, the call's Linkedid (null: a new call). */
export interface LegOrigin {
  readonly callerNum: string | null;
  readonly callerName: string | null;
  readonly exten: string;
  readonly linkedid: string | null;
}

export function originOf(channel: Channel): LegOrigin {
  return {
    callerNum: channel.callerNum,
    callerName: channel.callerName,
    exten: channel.exten,
    linkedid: channel.linkedid,
  };
}

/**
 * A leg to `dialInterface` (`Local/101@agents/n`, `PJSIP/101`) whose answering is the agent's: its device
 * state (the agent's state interface) follows the ring and the talk.
 */
export function createMemberLeg(
  pbx: Pbx,
  agent: Agent,
  origin: LegOrigin,
  application: string,
  owner: ChannelOwner,
  dialInterface: string = agent.interface_,
): MemberLeg {
  const local = /^Local\/([^@/]+)@([^/]+)(?:\/n)?$/i.exec(dialInterface);
  const leg = local
    ? new LocalMemberLeg(pbx, agent, origin, local[1]!, local[2]!, application)
    : new DeviceMemberLeg(pbx, agent, origin, dialInterface);
  for (const channel of leg.channels) channel.owner = owner;
  return leg;
}

class LocalMemberLeg implements MemberLeg {
  readonly one: Channel;
  readonly two: Channel;
  readonly channels: readonly Channel[];
  readonly dialString: string;
  readonly dialView: ChannelView;
  private readonly device: string;
  private readonly stateSet: string;

  constructor(
    private readonly pbx: Pbx,
    private readonly agent: Agent,
    private readonly caller: LegOrigin,
    private readonly ext: string,
    private readonly context: string,
    private readonly application: string,
  ) {
    const names = pbx.ids.local(ext, context);
    this.one = pbx.newChannel(names.one, caller.linkedid, { state: CHANNEL_STATE.down, context, exten: ext });
    this.two = pbx.newChannel(names.two, this.one.linkedid, {
      state: CHANNEL_STATE.ring,
      context,
      exten: ext,
    });
    this.channels = [this.one, this.two];
    this.dialString = `Local/${ext}@${context}/n`;
    this.dialView = { exten: ext, connectedNum: null, connectedName: null };
    this.device = `Local/${ext}@${context}`;
    this.stateSet = `DEVICE_STATE(${agent.stateInterface})`;
  }

  ring(answer: boolean, ringSec: number): void {
    const { pbx, one, two, caller, ext } = this;
    pbx.emit(newchannel(one));
    pbx.emit(newchannel(two));
    one.setCaller(caller.callerNum, caller.callerName);
    pbx.step(one, 1, this.application, '(Outgoing Line)');
    pbx.emit(newCallerid(one));
    pbx.setVar(one, 'DIALEDPEERNUMBER', `${ext}@${this.context}/n`);
    pbx.setVar(two, 'DIALEDPEERNUMBER', `${ext}@${this.context}/n`);
    two.setCaller(caller.callerNum, caller.callerName);
    two.setConnected(caller.callerNum, caller.callerName);
    pbx.emit(newCallerid(two));
    pbx.emit(newConnectedLine(two));
    pbx.emit(localBridge(one, two, this.context, ext));
    pbx.step(two, 1, 'NoOp', `agent ${ext}`);
    pbx.step(two, 2, 'Set', `AG=${ext}`);
    pbx.setVar(two, 'AG', ext);
    pbx.step(two, 3, 'Set', `${this.stateSet}=RINGING`);
    pbx.emitCel(one, 'CHAN_START', { blankCallerId: true });
    pbx.emitCel(two, 'CHAN_START', { blankCallerId: true });
    pbx.setDeviceState(this.agent.stateInterface, 'RINGING');
    pbx.setVar(two, 'DB_RESULT', answer ? 'answer' : 'noans');
    pbx.step(two, 4, 'GotoIf', `${answer ? 0 : 1}?noans`);
    if (answer) {
      const wait = Math.max(1, Math.round(ringSec));
      pbx.setVar(two, 'DB_RESULT', wait);
      pbx.setVar(two, 'DB_RESULT', wait);
      pbx.step(two, 5, 'Wait', String(wait));
    } else {
      pbx.step(two, 20, 'Wait', '3600');
    }
    // app_queue gives the outgoing channel the caller's extension and connected line.
    one.exten = caller.exten;
    one.setConnected(caller.callerNum, caller.callerName);
  }

  answer(): void {
    const { pbx, one, two } = this;
    pbx.step(two, 6, 'Answer', '');
    two.state = CHANNEL_STATE.up;
    two.answeredAt = pbx.now();
    one.state = CHANNEL_STATE.up;
    one.answeredAt = pbx.now();
    pbx.emitCel(two, 'ANSWER', { ani: true });
    pbx.emitCel(one, 'ANSWER');
    pbx.emit(newstate(two));
    pbx.emit(newstate(one));
    pbx.step(one, 1, this.application, '(Outgoing Line)');
    pbx.emit(newConnectedLine(one));
  }

  bridged(): void {
    this.pbx.emit(deviceStateChange(this.device, 'INUSE'));
    this.pbx.emit(deviceStateChange(this.device, 'INUSE'));
  }

  startTalk(talkSec: number): void {
    const { pbx, two } = this;
    if (two.hungUp) return;
    const wait = Math.max(1, Math.round(talkSec));
    pbx.step(two, 7, 'Set', `${this.stateSet}=INUSE`);
    pbx.setDeviceState(this.agent.stateInterface, 'INUSE');
    pbx.setVar(two, 'DB_RESULT', wait);
    pbx.setVar(two, 'DB_RESULT', wait);
    pbx.step(two, 8, 'Wait', String(wait));
  }

  agentHangsUp(): void {
    const { pbx, one, two } = this;
    pbx.step(two, 9, 'Set', `${this.stateSet}=NOT_INUSE`);
    pbx.setDeviceState(this.agent.stateInterface, 'NOT_INUSE');
    pbx.step(two, 10, 'Hangup', '');
    pbx.emit(softHangupRequest(two, 16));
    this.endTwo(16, 'dialplan/builtin', 'Hangup', () => pbx.emit(hangupRequest(one, 16)));
  }

  endRecords(): void {
    this.pbx.celEnd(this.one, hangupExtra(16, '', ''));
  }

  hangupBridged(): void {
    const { pbx, one } = this;
    pbx.emit(hangup(one, 16));
    pbx.release(one);
    pbx.emit(deviceStateChange(this.device, 'NOT_INUSE'));
  }

  leftBridge(): void {
    this.pbx.emit(deviceStateChange(this.device, 'NOT_INUSE'));
  }

  hangupFromBridge(): void {
    const { pbx, one, two } = this;
    pbx.emit(softHangupRequest(one, 16));
    pbx.celEnd(one, hangupExtra(16, '', ''));
    pbx.emit(hangupRequest(two, 16));
    pbx.emit(hangup(one, 16));
    pbx.release(one);
    pbx.emit(deviceStateChange(this.device, 'NOT_INUSE'));
    this.endTwo(16, '', 'Wait');
  }

  cancel(): void {
    const { pbx, one, two } = this;
    pbx.celEnd(one, hangupExtra(0, '', ''));
    pbx.emit(hangup(one, 0));
    pbx.release(one);
    pbx.emit(hangupRequest(two, 0));
    this.endTwo(0, '', 'Wait');
  }

  /** The agents' dialplan `h` extension, then the far half's records and Hangup. */
  private endTwo(cause: number, source: string, lastApplication: string, beforeHangup?: () => void): void {
    const { pbx, two } = this;
    pbx.step(two, 1, 'Set', `${this.stateSet}=NOT_INUSE`, 'h');
    pbx.setDeviceState(this.agent.stateInterface, 'NOT_INUSE');
    pbx.emitCdr(() =>
      cdr({
        channel: two,
        destination: this.ext,
        destinationContext: this.context,
        destinationChannel: '',
        lastApplication,
        lastData: '',
        endMicros: pbx.now(),
      }),
    );
    pbx.celEnd(two, hangupExtra(cause, source, ''));
    beforeHangup?.();
    two.priority = 2;
    pbx.emit(hangup(two, cause));
    pbx.release(two);
  }
}

/** A member that is a phone itself (`PJSIP/200`, added with QueueAdd): one channel, device state from it. */
class DeviceMemberLeg implements MemberLeg {
  readonly one: Channel;
  readonly channels: readonly Channel[];
  readonly dialString: string;
  readonly dialView: ChannelView = {};

  constructor(
    private readonly pbx: Pbx,
    private readonly agent: Agent,
    private readonly caller: LegOrigin,
    dialInterface: string,
  ) {
    const [tech, resource] = dialInterface.split('/', 2) as [string, string | undefined];
    this.one = pbx.newChannel(pbx.ids.channel(tech, resource ?? tech), caller.linkedid, {
      state: CHANNEL_STATE.down,
      context: 'from-internal',
      exten: resource ?? '',
    });
    this.channels = [this.one];
    this.dialString = dialInterface;
  }

  ring(): void {
    const { pbx, one, caller } = this;
    pbx.emit(newchannel(one));
    one.setCaller(caller.callerNum, caller.callerName);
    one.setConnected(caller.callerNum, caller.callerName);
    pbx.emit(newCallerid(one));
    pbx.emitCel(one, 'CHAN_START');
    one.state = CHANNEL_STATE.ringing;
    pbx.emit(newstate(one));
    pbx.setDeviceState(this.agent.stateInterface, 'RINGING');
    one.exten = caller.exten;
  }

  answer(): void {
    const { pbx, one } = this;
    one.state = CHANNEL_STATE.up;
    one.answeredAt = pbx.now();
    pbx.emitCel(one, 'ANSWER');
    pbx.emit(newstate(one));
  }

  bridged(): void {
    this.pbx.setDeviceState(this.agent.stateInterface, 'INUSE');
  }

  startTalk(): void {}

  agentHangsUp(): void {
    this.pbx.emit(hangupRequest(this.one, 16));
  }

  endRecords(): void {
    this.pbx.celEnd(this.one, hangupExtra(16, this.one.name, ''));
  }

  hangupBridged(): void {
    this.pbx.emit(hangup(this.one, 16));
    this.pbx.release(this.one);
    this.pbx.setDeviceState(this.agent.stateInterface, 'NOT_INUSE');
  }

  leftBridge(): void {}

  hangupFromBridge(): void {
    this.pbx.emit(softHangupRequest(this.one, 16));
    this.endRecords();
    this.hangupBridged();
  }

  cancel(): void {
    const { pbx, one } = this;
    pbx.celEnd(one, hangupExtra(0, '', ''));
    pbx.emit(hangup(one, 0));
    pbx.release(one);
    pbx.setDeviceState(this.agent.stateInterface, 'NOT_INUSE');
  }
}
