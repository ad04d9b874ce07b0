import type { Channel } from '../engine/channel';
import { formatDateTime, type EventSpec } from './ami-event';

/** CEL and CDR records (cel_manager and cdr_manager enabled), the two record streams a `read = all` user gets. */

export type CelEventName =
  | 'CHAN_START'
  | 'CHAN_END'
  | 'ANSWER'
  | 'HANGUP'
  | 'BRIDGE_ENTER'
  | 'BRIDGE_EXIT'
  | 'BLINDTRANSFER'
  | 'ATTENDEDTRANSFER'
  | 'LINKEDID_END';

export function cel(
  channel: Channel,
  eventName: CelEventName,
  micros: number,
  options: { peer?: string; extra?: string; ani?: boolean; blankCallerId?: boolean } = {},
): EventSpec {
  const num = options.blankCallerId ? '' : (channel.callerNum ?? '');
  return {
    name: 'CEL',
    cls: 'call',
    fields: {
      EventName: eventName,
      AccountCode: channel.accountCode,
      CallerIDnum: num,
      CallerIDname: options.blankCallerId ? '' : (channel.callerName ?? ''),
      CallerIDani: options.ani ? num : '',
      CallerIDrdnis: '',
      CallerIDdnid: '',
      Exten: channel.exten,
      Context: channel.context,
      Channel: channel.name,
      Application: options.blankCallerId ? '' : channel.application,
      AppData: options.blankCallerId ? '' : channel.appData,
      EventTime: formatDateTime(micros),
      AMAFlags: 'DOCUMENTATION',
      UniqueID: channel.uniqueid,
      LinkedID: channel.linkedid,
      Userfield: '',
      Peer: options.peer ?? '',
      PeerAccount: '',
      Extra: options.extra ?? '',
    },
  };
}

export function bridgeExtra(bridgeId: string): string {
  return JSON.stringify({ bridge_id: bridgeId, bridge_technology: 'simple_bridge' });
}

export function hangupExtra(cause: number, source: string, dialStatus: string): string {
  return JSON.stringify({ hangupcause: cause, hangupsource: source, dialstatus: dialStatus });
}

export function cdr(args: {
  channel: Channel;
  destination: string;
  destinationContext: string;
  destinationChannel: string;
  lastApplication: string;
  lastData: string;
  endMicros: number;
}): EventSpec {
  const { channel } = args;
  const start = channel.createdAt;
  const answer = channel.answeredAt;
  const duration = Math.floor((args.endMicros - start) / 1e6);
  const billable = answer === null ? 0 : Math.floor((args.endMicros - answer) / 1e6);
  const num = channel.callerNum ?? '';
  return {
    name: 'Cdr',
    cls: 'cdr',
    fields: {
      AccountCode: channel.accountCode,
      Source: num,
      Destination: args.destination,
      DestinationContext: args.destinationContext,
      CallerID: `"${channel.callerName ?? ''}" <${num}>`,
      Channel: channel.name,
      DestinationChannel: args.destinationChannel,
      LastApplication: args.lastApplication,
      LastData: args.lastData,
      StartTime: formatDateTime(start),
      AnswerTime: answer === null ? '' : formatDateTime(answer),
      EndTime: formatDateTime(args.endMicros),
      Duration: duration,
      BillableSeconds: billable,
      Disposition: answer === null ? 'NO ANSWER' : 'ANSWERED',
      AMAFlags: 'DOCUMENTATION',
      UniqueID: channel.uniqueid,
      UserField: '',
    },
  };
}
