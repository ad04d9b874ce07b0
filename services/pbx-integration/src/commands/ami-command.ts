import type { AmiAction } from '@okc/ami';
import type { EventDataOf, TOPICS } from '@okc/contracts';
import type { ChannelIndex } from '../links/channel-index';

type Commands = typeof TOPICS.pbxCommands;

/** Why a command cannot be turned into an AMI action. */
export class InvalidCommand extends Error {}

export interface CommandContext {
  readonly channels: ChannelIndex;
  /** Dialplan context click-to-call dials the customer's number in (`from-internal` on FreePBX). */
  readonly originateContext: string;
  /** Where a held caller waits (music on hold) and how a transfer is dialled. */
  readonly holdContext: string;
  readonly transferContext: string;
}

/**
 * The AMI action of a PBX command, as Asterisk 22 takes it. Hold has no AMI action of its own: the
 * customer's channel is redirected to `holdContext` (music on hold in the dialplan), and unhold redirects it
 * to the agent's extension in `transferContext`. Channels are found from the call id and the agent's
 * interface (ChannelIndex); a command whose call is gone is invalid.
 */
export function amiActionOf(type: string, data: Record<string, unknown>, context: CommandContext): AmiAction {
  switch (type) {
    case 'originate': {
      const c = data as EventDataOf<Commands, 'originate'>;
      return {
        Action: 'Originate',
        Channel: c.from,
        Context: context.originateContext,
        Exten: c.to,
        Priority: 1,
        Timeout: 30_000,
        Async: 'true',
        ...(c.callerId ? { CallerID: c.callerId } : {}),
        Variable: [`OKC_COMMAND_ID=${c.commandId}`],
      };
    }
    case 'hangup': {
      const c = data as EventDataOf<Commands, 'hangup'>;
      const channel = c.channel ?? context.channels.channelsOf(c.callId)[0] ?? null;
      if (!channel) throw new InvalidCommand(`no live channel of call ${c.callId}`);
      return { Action: 'Hangup', Channel: channel, Cause: 16 };
    }
    case 'hold':
    case 'unhold': {
      const c = data as EventDataOf<Commands, 'hold'>;
      const customer = context.channels.customerChannel(c.callId, c.agentInterface);
      if (!customer)
        throw new InvalidCommand(`no live customer channel of call ${c.callId} for ${c.agentInterface}`);
      const extension = /\/(\w+)/.exec(c.agentInterface)?.[1] ?? '';
      return type === 'hold'
        ? { Action: 'Redirect', Channel: customer, Context: context.holdContext, Exten: 's', Priority: 1 }
        : {
            Action: 'Redirect',
            Channel: customer,
            Context: context.transferContext,
            Exten: extension,
            Priority: 1,
          };
    }
    case 'transfer': {
      const c = data as EventDataOf<Commands, 'transfer'>;
      if (c.kind === 'attended') {
        const agent = context.channels.agentChannel(c.callId, c.agentInterface);
        if (!agent) throw new InvalidCommand(`no live channel of ${c.agentInterface} in call ${c.callId}`);
        return { Action: 'Atxfer', Channel: agent, Exten: c.target, Context: context.transferContext };
      }
      const customer = context.channels.customerChannel(c.callId, c.agentInterface);
      if (!customer) throw new InvalidCommand(`no live customer channel of call ${c.callId}`);
      return {
        Action: 'Redirect',
        Channel: customer,
        Exten: c.target,
        Context: context.transferContext,
        Priority: 1,
      };
    }
    case 'queue-pause': {
      const c = data as EventDataOf<Commands, 'queue-pause'>;
      return {
        Action: 'QueuePause',
        Interface: c.interface,
        Paused: c.paused ? 'true' : 'false',
        ...(c.queue ? { Queue: c.queue } : {}),
        ...(c.reason ? { Reason: c.reason } : {}),
      };
    }
    case 'queue-add': {
      const c = data as EventDataOf<Commands, 'queue-add'>;
      return {
        Action: 'QueueAdd',
        Queue: c.queue,
        Interface: c.interface,
        ...(c.memberName ? { MemberName: c.memberName } : {}),
        ...(c.penalty !== null ? { Penalty: c.penalty } : {}),
      };
    }
    case 'queue-remove': {
      const c = data as EventDataOf<Commands, 'queue-remove'>;
      return { Action: 'QueueRemove', Queue: c.queue, Interface: c.interface };
    }
    default:
      throw new InvalidCommand(`${type} is not an AMI command`);
  }
}
