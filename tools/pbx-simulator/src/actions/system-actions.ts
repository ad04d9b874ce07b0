import { coreShowChannelsList } from './channel-list';
import { error, response, success } from '../server/responses';
import { parseEventMask } from '../server/ami-session';
import type { ActionHandler } from './action-context';

export const ping: ActionHandler = (ctx) => {
  ctx.reply(response('Success', ctx.actionId, { Ping: 'Pong', Timestamp: ctx.engine.pbx.timestamp() }));
};

/** Events: which classes this session receives from now on. */
export const events: ActionHandler = (ctx) => {
  const mask = ctx.header('EventMask') ?? '';
  ctx.session.classes = parseEventMask(mask);
  ctx.reply(response('Success', ctx.actionId, { Events: ctx.session.classes.size > 0 ? 'On' : 'Off' }));
};

/** Command: only `core show channels` means something here; other commands get the CLI's complaint. */
export const command: ActionHandler = (ctx) => {
  const cli = (ctx.header('Command') ?? '').trim().replace(/\s+/g, ' ');
  const { pbx } = ctx.engine;
  if (!cli) return ctx.reply(error(ctx.actionId, 'No command provided'));
  let output: string[];
  if (/^core show channels( concise| verbose)?$/i.test(cli)) {
    const channels = pbx.channels.size;
    const calls = new Set([...pbx.channels.values()].map((c) => c.linkedid)).size;
    output = [
      `${channels} active channels`,
      `${calls} active calls`,
      `${pbx.callsProcessed} calls processed`,
    ];
  } else if (/^core show version$/i.test(cli)) {
    output = ['Asterisk 22.10.1 built by pbx-simulator on a x86_64 running Linux'];
  } else {
    output = [
      `No such command '${cli}' (type 'core show help ${cli.split(' ')[0]}' for other possible commands)`,
    ];
  }
  ctx.reply(response('Success', ctx.actionId, { Message: 'Command output follows', Output: output }));
};

export const coreShowChannels: ActionHandler = (ctx) => {
  ctx.reply(coreShowChannelsList(ctx.engine, ctx.actionId));
};

/**
 * Setvar. Without Channel it sets a global; `DEVICE_STATE(<device>)` sets a device state (the day/night BLF,
 * a member's Custom state interface), with DeviceStateChange and QueueMemberStatus as Asterisk does.
 */
export const setvar: ActionHandler = (ctx) => {
  const variable = ctx.header('Variable');
  if (!variable) return ctx.reply(error(ctx.actionId, 'No variable specified'));
  const value = ctx.header('Value') ?? '';
  const { pbx } = ctx.engine;
  const channelName = ctx.header('Channel');
  if (channelName) {
    const channel = pbx.findChannel(channelName);
    if (!channel) return ctx.reply(error(ctx.actionId, 'Channel specified does not exist'));
    ctx.reply(success(ctx.actionId, 'Variable Set'));
    pbx.setVar(channel, variable, value);
    return;
  }
  ctx.reply(success(ctx.actionId, 'Variable Set'));
  const device = /^DEVICE_STATE\((.+)\)$/i.exec(variable);
  if (device) {
    pbx.setDeviceState(device[1]!, value.toUpperCase());
    return;
  }
  pbx.globals.set(variable, value);
};

export const getvar: ActionHandler = (ctx) => {
  const variable = ctx.header('Variable');
  if (!variable) return ctx.reply(error(ctx.actionId, 'No variable specified'));
  const { pbx } = ctx.engine;
  const device = /^DEVICE_STATE\((.+)\)$/i.exec(variable);
  const db = /^DB\(([^/]+)\/(.+)\)$/i.exec(variable);
  const value = device
    ? (pbx.devices.get(device[1]!) ?? 'UNKNOWN')
    : db
      ? (pbx.astdb.get(`${db[1]}/${db[2]}`) ?? '')
      : (pbx.globals.get(variable) ?? '');
  ctx.reply(response('Success', ctx.actionId, { Variable: variable, Value: value }));
};
