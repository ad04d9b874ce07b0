import { channelStateDesc, type Bridge, type Channel } from '../engine/channel';
import type { Fields } from './ami-event';

const UNKNOWN = '<unknown>';

/** Fields of a channel that an event may show from an older snapshot than the channel's current one. */
export interface ChannelView {
  readonly state?: number;
  readonly callerNum?: string | null;
  readonly callerName?: string | null;
  readonly connectedNum?: string | null;
  readonly connectedName?: string | null;
  readonly context?: string;
  readonly exten?: string;
  readonly priority?: number;
}

/** The standard channel block (`Channel … Linkedid`), with a prefix for Dest*, LocalOne*, Transferer* copies. */
export function channelBlock(channel: Channel, prefix = '', view: ChannelView = {}): Fields {
  const state = view.state ?? channel.state;
  return {
    [`${prefix}Channel`]: channel.name,
    [`${prefix}ChannelState`]: state,
    [`${prefix}ChannelStateDesc`]: channelStateDesc(state),
    [`${prefix}CallerIDNum`]: pick(view.callerNum, channel.callerNum) ?? UNKNOWN,
    [`${prefix}CallerIDName`]: pick(view.callerName, channel.callerName) ?? UNKNOWN,
    [`${prefix}ConnectedLineNum`]: pick(view.connectedNum, channel.connectedNum) ?? UNKNOWN,
    [`${prefix}ConnectedLineName`]: pick(view.connectedName, channel.connectedName) ?? UNKNOWN,
    [`${prefix}Language`]: channel.language,
    [`${prefix}AccountCode`]: channel.accountCode,
    [`${prefix}Context`]: view.context ?? channel.context,
    [`${prefix}Exten`]: view.exten ?? channel.exten,
    [`${prefix}Priority`]: view.priority ?? channel.priority,
    [`${prefix}Uniqueid`]: channel.uniqueid,
    [`${prefix}Linkedid`]: channel.linkedid,
  };
}

function pick(view: string | null | undefined, current: string | null): string | null {
  return view === undefined ? current : view;
}

/** The bridge block of BridgeCreate/Enter/Leave/Destroy and transfers. */
export function bridgeBlock(bridge: Bridge, prefix = '', numChannels = bridge.channels.length): Fields {
  return {
    [`${prefix}BridgeUniqueid`]: bridge.id,
    [`${prefix}BridgeType`]: 'basic',
    [`${prefix}BridgeTechnology`]: 'simple_bridge',
    [`${prefix}BridgeCreator`]: UNKNOWN,
    [`${prefix}BridgeName`]: UNKNOWN,
    [`${prefix}BridgeNumChannels`]: numChannels,
    [`${prefix}BridgeVideoSourceMode`]: 'none',
  };
}
