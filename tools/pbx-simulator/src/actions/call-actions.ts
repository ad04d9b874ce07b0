import { DirectCall } from '../engine/direct-call';
import type { Agent } from '../engine/queue';
import type { Pbx } from '../engine/pbx';
import { Prng } from '../engine/prng';
import { directPlan } from '../traffic/profile';
import { defaultProfile } from '../traffic/profile';
import { error, success } from '../server/responses';
import type { ActionContext, ActionHandler } from './action-context';

/** Actions on calls: Originate, Hangup, Redirect, Atxfer, BlindTransfer. */

let originateCount = 0;

/** The agent behind an Originate's Channel: `PJSIP/101`, `SIP/101`, `Local/101@agents[/n]`. */
function agentOf(pbx: Pbx, channel: string): Agent {
  const ext = /^(?:PJSIP|SIP|IAX2)\/([^-@/]+)$/i.exec(channel)?.[1] ?? /^Local\/([^@]+)@/i.exec(channel)?.[1];
  const known = ext === undefined ? undefined : pbx.agentByExt(ext);
  return known ?? pbx.agentFor(channel, channel);
}

/**
 * Originate (click-to-call): answers `Originate successfully queued` at once (Async), then rings the agent's
 * channel; when it answers, OriginateResponse (Reason 4) and the dialplan dials Exten — another agent's
 * extension, or a number through the trunk. Not answered within Timeout (ms): OriginateResponse Failure, Reason 3.
 */
export const originate: ActionHandler = (ctx) => {
  const channel = ctx.header('Channel');
  if (!channel) return ctx.reply(error(ctx.actionId, 'Channel not specified'));
  const exten = ctx.header('Exten');
  const application = ctx.header('Application');
  if (!exten && !application) return ctx.reply(error(ctx.actionId, 'Exten not specified'));
  const { pbx } = ctx.engine;
  const from = agentOf(pbx, channel);
  const target = exten ?? ctx.header('Data') ?? '';
  const targetAgent = pbx.agentByExt(target);
  const callerId = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(ctx.header('CallerID') ?? '');
  const timeoutMs = Number.parseInt(ctx.header('Timeout') ?? '30000', 10);
  const prng = Prng.derive(pbx.options.seed, 'originate', originateCount++);
  const plan = { ...directPlan(prng, defaultProfile(60), !targetAgent), busy: false };
  const call = new DirectCall(
    pbx,
    from,
    targetAgent ? { kind: 'ext', agent: targetAgent } : { kind: 'number', number: target },
    { ...plan, answerAfterSec: plan.answerAfterSec ?? 12 },
  );
  ctx.reply(success(ctx.actionId, 'Originate successfully queued'));
  call.originate({
    actionId: ctx.actionId,
    channel,
    context: ctx.header('Context') ?? 'from-internal',
    exten: target,
    callerIdNum: callerId?.[2] ?? ctx.header('CallerID') ?? null,
    callerIdName: callerId?.[1] || null,
    timeoutSec: Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs / 1000 : 30,
  });
};

function channelOf(ctx: ActionContext, header = 'Channel') {
  const name = ctx.header(header);
  return name === undefined ? undefined : { name, channel: ctx.engine.pbx.findChannel(name) };
}

/** Hangup: a soft hangup of the channel (Cause 16 unless given); the call's other channels follow. */
export const hangupAction: ActionHandler = (ctx) => {
  const found = channelOf(ctx);
  if (!found) return ctx.reply(error(ctx.actionId, 'No channel specified'));
  if (!found.channel?.owner) return ctx.reply(error(ctx.actionId, 'No such channel'));
  const cause = Number.parseInt(ctx.header('Cause') ?? '16', 10);
  ctx.reply(success(ctx.actionId, 'Channel Hungup'));
  found.channel.owner.hangupRequested(found.channel, Number.isFinite(cause) ? cause : 16, 'soft');
};

/**
 * Redirect: the channel continues at Context,Exten,1. A queue's extension puts the caller in that queue; a
 * queued caller redirected away counts as an abandon (app_queue sees it leave); a bridged caller leaves the
 * agent, whose side is hung up.
 */
export const redirect: ActionHandler = (ctx) => {
  const found = channelOf(ctx);
  if (!found) return ctx.reply(error(ctx.actionId, 'Channel not specified'));
  const exten = ctx.header('Exten');
  if (!exten) return ctx.reply(error(ctx.actionId, 'Exten not specified'));
  if (!found.channel?.owner) return ctx.reply(error(ctx.actionId, `Channel does not exist: ${found.name}`));
  const context = ctx.header('Context') ?? found.channel.context;
  const extra = channelOf(ctx, 'ExtraChannel');
  if (extra && !extra.channel)
    return ctx.reply(error(ctx.actionId, `ExtraChannel does not exist: ${extra.name}`));
  const owner = found.channel.owner;
  const channel = found.channel;
  ctx.reply(success(ctx.actionId, extra ? 'Dual Redirect successful' : 'Redirect successful'));
  if (!owner.redirect(channel, context, exten)) owner.hangupRequested(channel, 16, 'soft');
};

function transferAction(kind: 'blind' | 'attended'): ActionHandler {
  return (ctx) => {
    const found = channelOf(ctx);
    if (!found) return ctx.reply(error(ctx.actionId, 'No channel specified'));
    const exten = ctx.header('Exten');
    if (!exten) return ctx.reply(error(ctx.actionId, 'No extension specified'));
    if (!found.channel?.owner) return ctx.reply(error(ctx.actionId, 'Channel specified does not exist'));
    const context = ctx.header('Context') ?? 'from-trunk';
    const ok = found.channel.owner.transfer(found.channel, kind, context, exten);
    if (!ok) return ctx.reply(error(ctx.actionId, kind === 'blind' ? 'Transfer failed' : 'Atxfer failed'));
    ctx.reply(success(ctx.actionId, kind === 'blind' ? 'Transfer succeeded' : 'Atxfer successfully queued'));
  };
}

export const atxfer = transferAction('attended');
export const blindTransferAction = transferAction('blind');
