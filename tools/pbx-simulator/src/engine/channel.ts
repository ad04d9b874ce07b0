/** A channel as Asterisk reports it in the standard channel block, plus what the simulator needs to drive it. */
export const CHANNEL_STATE = { down: 0, ring: 4, ringing: 5, up: 6, busy: 7 } as const;
export type ChannelStateCode = (typeof CHANNEL_STATE)[keyof typeof CHANNEL_STATE];

const STATE_DESC: Readonly<Record<number, string>> = {
  0: 'Down',
  1: 'Rsrvd',
  2: 'OffHook',
  3: 'Dialing',
  4: 'Ring',
  5: 'Ringing',
  6: 'Up',
  7: 'Busy',
};

export function channelStateDesc(state: number): string {
  return STATE_DESC[state] ?? 'Unknown';
}

/** Who reacts when an action (Hangup, Redirect, Atxfer…) or a peer touches a channel. */
export interface ChannelOwner {
  /** The channel is being hung up from outside: `remote` is the far end (BYE), `soft` an AMI Hangup. */
  hangupRequested(channel: Channel, cause: number, how: 'remote' | 'soft'): void;
  /** AMI Redirect; false when this channel cannot be redirected now. */
  redirect(channel: Channel, context: string, exten: string): boolean;
  /** AMI BlindTransfer / Atxfer from this channel (the transferer); false when not possible now. */
  transfer(channel: Channel, kind: 'blind' | 'attended', context: string, exten: string): boolean;
}

export interface Bridge {
  readonly id: string;
  readonly channels: Channel[];
}

export class Channel {
  state: number;
  callerNum: string | null = null;
  callerName: string | null = null;
  connectedNum: string | null = null;
  connectedName: string | null = null;
  readonly language = 'en';
  readonly accountCode = '';
  context: string;
  exten: string;
  priority = 1;
  application = '';
  appData = '';
  answeredAt: number | null = null;
  bridge: Bridge | null = null;
  owner: ChannelOwner | null = null;
  hungUp = false;

  constructor(
    readonly name: string,
    readonly uniqueid: string,
    readonly linkedid: string,
    init: { state: number; context: string; exten: string },
    readonly createdAt: number,
  ) {
    this.state = init.state;
    this.context = init.context;
    this.exten = init.exten;
  }

  setCaller(num: string | null, name: string | null): void {
    this.callerNum = num;
    this.callerName = name;
  }

  setConnected(num: string | null, name: string | null): void {
    this.connectedNum = num;
    this.connectedName = name;
  }

  /** The device a channel name stands for, as DeviceStateChange names it (`Local/101@agents`, `PJSIP/101`). */
  get device(): string {
    return this.name.replace(/-[0-9a-f]{8}(;[12])?$/, '');
  }
}
