import type { Bridge, Channel } from '../engine/channel';
import type { EventSpec, Fields } from './ami-event';
import { bridgeBlock, channelBlock, type ChannelView } from './blocks';

/** Channel, dialplan, dial and bridge events, field for field as Asterisk 22 writes them. */

const CAUSE_TEXT: Readonly<Record<number, string>> = {
  0: 'Unknown',
  1: 'Unallocated (unassigned) number',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'User alerting, no answer',
  21: 'Call Rejected',
  26: 'Answered elsewhere',
  34: 'Circuit/channel congestion',
};

export function causeText(cause: number): string {
  return CAUSE_TEXT[cause] ?? 'Unknown';
}

export function newchannel(channel: Channel): EventSpec {
  return { name: 'Newchannel', cls: 'call', fields: channelBlock(channel) };
}

export function newstate(channel: Channel): EventSpec {
  return { name: 'Newstate', cls: 'call', fields: channelBlock(channel) };
}

export function newexten(channel: Channel, application: string, appData: string): EventSpec {
  return {
    name: 'Newexten',
    cls: 'dialplan',
    fields: {
      ...channelBlock(channel),
      Extension: channel.exten,
      Application: application,
      AppData: appData,
    },
  };
}

export function varSet(channel: Channel, variable: string, value: string | number): EventSpec {
  return {
    name: 'VarSet',
    cls: 'dialplan',
    fields: { ...channelBlock(channel), Variable: variable, Value: value },
  };
}

export function newCallerid(channel: Channel): EventSpec {
  return {
    name: 'NewCallerid',
    cls: 'call',
    fields: { ...channelBlock(channel), 'CID-CallingPres': '0 (Presentation Allowed, Not Screened)' },
  };
}

export function newConnectedLine(channel: Channel): EventSpec {
  return { name: 'NewConnectedLine', cls: 'call', fields: channelBlock(channel) };
}

export function localBridge(one: Channel, two: Channel, context: string, exten: string): EventSpec {
  return {
    name: 'LocalBridge',
    cls: 'call',
    fields: {
      ...channelBlock(one, 'LocalOne'),
      ...channelBlock(two, 'LocalTwo'),
      Context: context,
      Exten: exten,
      LocalOptimization: 'No',
    },
  };
}

/** DialBegin: without a caller when an Originate dials (the fixture's first DialBegin has no source block). */
export function dialBegin(
  caller: Channel | null,
  dest: Channel,
  dialString: string,
  destView: ChannelView = {},
): EventSpec {
  return {
    name: 'DialBegin',
    cls: 'call',
    fields: {
      ...(caller ? channelBlock(caller) : {}),
      ...channelBlock(dest, 'Dest', destView),
      DialString: dialString,
    },
  };
}

export function dialEnd(caller: Channel | null, dest: Channel, status: string): EventSpec {
  return {
    name: 'DialEnd',
    cls: 'call',
    fields: { ...(caller ? channelBlock(caller) : {}), ...channelBlock(dest, 'Dest'), DialStatus: status },
  };
}

export function hangupRequest(channel: Channel, cause: number): EventSpec {
  return { name: 'HangupRequest', cls: 'call', fields: { ...channelBlock(channel), Cause: cause } };
}

export function softHangupRequest(channel: Channel, cause: number): EventSpec {
  return { name: 'SoftHangupRequest', cls: 'call', fields: { ...channelBlock(channel), Cause: cause } };
}

export function hangup(channel: Channel, cause: number): EventSpec {
  return {
    name: 'Hangup',
    cls: 'call',
    fields: { ...channelBlock(channel), Cause: cause, 'Cause-txt': causeText(cause) },
  };
}

export function bridgeCreate(bridge: Bridge): EventSpec {
  return { name: 'BridgeCreate', cls: 'call', fields: bridgeBlock(bridge) };
}

export function bridgeEnter(bridge: Bridge, channel: Channel): EventSpec {
  return { name: 'BridgeEnter', cls: 'call', fields: { ...bridgeBlock(bridge), ...channelBlock(channel) } };
}

export function bridgeLeave(bridge: Bridge, channel: Channel): EventSpec {
  return { name: 'BridgeLeave', cls: 'call', fields: { ...bridgeBlock(bridge), ...channelBlock(channel) } };
}

export function bridgeDestroy(bridge: Bridge): EventSpec {
  return { name: 'BridgeDestroy', cls: 'call', fields: bridgeBlock(bridge) };
}

export function deviceStateChange(device: string, state: string): EventSpec {
  return { name: 'DeviceStateChange', cls: 'call', fields: { Device: device, State: state } };
}

export function hold(channel: Channel, musicClass: string): EventSpec {
  return { name: 'Hold', cls: 'call', fields: { ...channelBlock(channel), MusicClass: musicClass } };
}

export function unhold(channel: Channel): EventSpec {
  return { name: 'Unhold', cls: 'call', fields: channelBlock(channel) };
}

export function musicOnHoldStart(channel: Channel, musicClass: string): EventSpec {
  return { name: 'MusicOnHoldStart', cls: 'call', fields: { ...channelBlock(channel), Class: musicClass } };
}

export function musicOnHoldStop(channel: Channel): EventSpec {
  return { name: 'MusicOnHoldStop', cls: 'call', fields: channelBlock(channel) };
}

export function blindTransfer(
  transferer: Channel,
  transferee: Channel,
  bridge: Bridge,
  context: string,
  extension: string,
): EventSpec {
  return {
    name: 'BlindTransfer',
    cls: 'call',
    fields: {
      Result: 'Success',
      ...channelBlock(transferer, 'Transferer'),
      ...channelBlock(transferee, 'Transferee'),
      ...bridgeBlock(bridge),
      IsExternal: 'No',
      Context: context,
      Extension: extension,
    },
  };
}

/** AttendedTransfer with DestType Bridge: the transferee's bridge is merged with the consultation bridge. */
export function attendedTransfer(args: {
  origTransferer: Channel;
  origBridge: Bridge;
  secondTransferer: Channel;
  secondBridge: Bridge;
  transferee: Channel;
  target: Channel;
}): EventSpec {
  const fields: Fields = {
    Result: 'Success',
    ...channelBlock(args.origTransferer, 'OrigTransferer'),
    ...bridgeBlock(args.origBridge, 'Orig'),
    ...channelBlock(args.secondTransferer, 'SecondTransferer'),
    ...bridgeBlock(args.secondBridge, 'Second'),
    DestType: 'Bridge',
    DestBridgeUniqueid: args.origBridge.id,
    ...channelBlock(args.transferee, 'Transferee'),
    ...channelBlock(args.target, 'TransferTarget'),
    IsExternal: 'No',
  };
  return { name: 'AttendedTransfer', cls: 'call', fields };
}

export function originateResponse(args: {
  actionId: string | undefined;
  success: boolean;
  channel: string;
  context: string;
  exten: string;
  reason: number;
  uniqueid: string;
  callerNum: string;
  callerName: string;
}): EventSpec {
  return {
    name: 'OriginateResponse',
    cls: 'call',
    fields: {
      ...(args.actionId === undefined ? {} : { ActionID: args.actionId }),
      Response: args.success ? 'Success' : 'Failure',
      Channel: args.channel,
      Context: args.context,
      Exten: args.exten,
      Reason: args.reason,
      Uniqueid: args.uniqueid,
      CallerIDNum: args.callerNum,
      CallerIDName: args.callerName,
    },
  };
}
