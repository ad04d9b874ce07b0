import type { Channel } from '../engine/channel';
import type { EventSpec } from './ami-event';
import { channelBlock, type ChannelView } from './blocks';

/** What app_queue reports about one member of one queue (QueueMemberStatus and friends). */
export interface QueueMemberView {
  readonly queue: string;
  readonly memberName: string;
  readonly interface: string;
  readonly stateInterface: string;
  readonly membership: 'static' | 'dynamic' | 'realtime';
  readonly penalty: number;
  readonly callsTaken: number;
  readonly lastCall: number;
  readonly lastPause: number;
  readonly loginTime: number;
  readonly inCall: boolean;
  readonly status: number;
  readonly paused: boolean;
  readonly pausedReason: string;
  readonly ringinuse: boolean;
  readonly wrapuptime: number;
}

export type QueueMemberEventName =
  | 'QueueMemberStatus'
  | 'QueueMemberPause'
  | 'QueueMemberAdded'
  | 'QueueMemberRemoved'
  | 'QueueMemberPenalty'
  | 'QueueMemberRinginuse';

export function queueMemberEvent(name: QueueMemberEventName, member: QueueMemberView): EventSpec {
  return {
    name,
    cls: 'agent',
    fields: {
      Queue: member.queue,
      MemberName: member.memberName,
      Interface: member.interface,
      StateInterface: member.stateInterface,
      Membership: member.membership,
      Penalty: member.penalty,
      CallsTaken: member.callsTaken,
      LastCall: member.lastCall,
      LastPause: member.lastPause,
      LoginTime: member.loginTime,
      InCall: member.inCall ? 1 : 0,
      Status: member.status,
      Paused: member.paused ? 1 : 0,
      PausedReason: member.pausedReason,
      Ringinuse: member.ringinuse ? 1 : 0,
      Wrapuptime: member.wrapuptime,
    },
  };
}

export function queueCallerJoin(caller: Channel, queue: string, position: number, count: number): EventSpec {
  return {
    name: 'QueueCallerJoin',
    cls: 'agent',
    fields: { ...channelBlock(caller), Queue: queue, Position: position, Count: count },
  };
}

export function queueCallerLeave(caller: Channel, queue: string, position: number, count: number): EventSpec {
  return {
    name: 'QueueCallerLeave',
    cls: 'agent',
    fields: { ...channelBlock(caller), Queue: queue, Position: position, Count: count },
  };
}

export function queueCallerAbandon(
  caller: Channel,
  queue: string,
  position: number,
  originalPosition: number,
  holdTime: number,
): EventSpec {
  return {
    name: 'QueueCallerAbandon',
    cls: 'agent',
    fields: {
      ...channelBlock(caller),
      Queue: queue,
      Position: position,
      OriginalPosition: originalPosition,
      HoldTime: holdTime,
    },
  };
}

interface AgentEventArgs {
  readonly caller: Channel;
  readonly member: Channel;
  readonly memberView?: ChannelView;
  readonly queue: string;
  readonly interface: string;
  readonly memberName: string;
}

function agentBase(args: AgentEventArgs) {
  return { ...channelBlock(args.caller), ...channelBlock(args.member, 'Dest', args.memberView) };
}

export function agentCalled(args: AgentEventArgs): EventSpec {
  return {
    name: 'AgentCalled',
    cls: 'agent',
    fields: { ...agentBase(args), Queue: args.queue, Interface: args.interface, MemberName: args.memberName },
  };
}

export function agentConnect(args: AgentEventArgs & { holdTime: number; ringTime: number }): EventSpec {
  return {
    name: 'AgentConnect',
    cls: 'agent',
    fields: {
      ...agentBase(args),
      Queue: args.queue,
      Interface: args.interface,
      MemberName: args.memberName,
      HoldTime: args.holdTime,
      RingTime: args.ringTime,
    },
  };
}

/** RingTime in milliseconds here (seconds in AgentConnect), as app_queue does. */
export function agentRingNoAnswer(args: AgentEventArgs & { ringTimeMs: number }): EventSpec {
  return {
    name: 'AgentRingNoAnswer',
    cls: 'agent',
    fields: {
      ...agentBase(args),
      Queue: args.queue,
      Interface: args.interface,
      MemberName: args.memberName,
      RingTime: args.ringTimeMs,
    },
  };
}

export function agentComplete(
  args: AgentEventArgs & { holdTime: number; talkTime: number; reason: 'caller' | 'agent' | 'transfer' },
): EventSpec {
  return {
    name: 'AgentComplete',
    cls: 'agent',
    fields: {
      ...agentBase(args),
      Queue: args.queue,
      Interface: args.interface,
      MemberName: args.memberName,
      HoldTime: args.holdTime,
      TalkTime: args.talkTime,
      Reason: args.reason,
    },
  };
}
