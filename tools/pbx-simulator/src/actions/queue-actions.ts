import { error, listComplete, listItem, listStart, success } from '../server/responses';
import { isTrue, type ActionHandler } from './action-context';

/** app_queue's manager actions. Messages are app_queue's own. */

/** QueueStatus: QueueParams, then QueueMember and QueueEntry for each queue, then QueueStatusComplete. */
export const queueStatus: ActionHandler = (ctx) => {
  const { pbx } = ctx.engine;
  const queueFilter = ctx.header('Queue');
  const memberFilter = ctx.header('Member');
  const now = pbx.nowSec();
  let out = listStart(ctx.actionId, 'Queue status will follow');
  let items = 0;
  for (const queue of pbx.queues.values()) {
    if (queueFilter && queueFilter.toLowerCase() !== queue.name.toLowerCase()) continue;
    out += listItem('QueueParams', {
      Queue: queue.name,
      Max: 0,
      Strategy: queue.config.strategy,
      Calls: queue.entries.length,
      Holdtime: queue.holdtime,
      TalkTime: queue.talktime,
      Completed: queue.completed,
      Abandoned: queue.abandoned,
      ServiceLevel: queue.config.serviceLevelSec,
      ServicelevelPerf: queue.serviceLevelPerf().toFixed(1),
      ServicelevelPerf2: queue.serviceLevelPerf2().toFixed(1),
      Weight: queue.config.weight,
      ActionID: ctx.actionId,
    });
    items++;
    for (const member of queue.members) {
      if (memberFilter && memberFilter !== member.interface && memberFilter !== member.memberName) continue;
      const view = member.view(pbx.status(member.agent));
      out += listItem('QueueMember', {
        Queue: queue.name,
        Name: view.memberName,
        Location: view.interface,
        StateInterface: view.stateInterface,
        Membership: view.membership,
        Penalty: view.penalty,
        CallsTaken: view.callsTaken,
        LastCall: view.lastCall,
        LastPause: view.lastPause,
        LoginTime: view.loginTime,
        InCall: view.inCall ? 1 : 0,
        Status: view.status,
        Paused: view.paused ? 1 : 0,
        PausedReason: view.pausedReason,
        Wrapuptime: view.wrapuptime,
        ActionID: ctx.actionId,
      });
      items++;
    }
    queue.entries.forEach((entry, index) => {
      const channel = entry.channel;
      out += listItem('QueueEntry', {
        Queue: queue.name,
        Position: index + 1,
        Channel: channel.name,
        Uniqueid: channel.uniqueid,
        CallerIDNum: channel.callerNum ?? 'unknown',
        CallerIDName: channel.callerName ?? 'unknown',
        ConnectedLineNum: channel.connectedNum ?? 'unknown',
        ConnectedLineName: channel.connectedName ?? 'unknown',
        Wait: now - Math.floor(entry.joinedAt / 1e6),
        Priority: 0,
        ActionID: ctx.actionId,
      });
      items++;
    });
  }
  ctx.reply(out + listComplete('QueueStatusComplete', ctx.actionId, items));
};

export const queueSummary: ActionHandler = (ctx) => {
  const { pbx } = ctx.engine;
  const queueFilter = ctx.header('Queue');
  const now = pbx.nowSec();
  let out = listStart(ctx.actionId, 'Queue summary will follow');
  let items = 0;
  for (const queue of pbx.queues.values()) {
    if (queueFilter && queueFilter.toLowerCase() !== queue.name.toLowerCase()) continue;
    const loggedIn = queue.members.filter((m) => ![4, 5].includes(pbx.status(m.agent)));
    out += listItem('QueueSummary', {
      Queue: queue.name,
      LoggedIn: loggedIn.length,
      Available: loggedIn.filter((m) => !m.paused && pbx.status(m.agent) <= 1).length,
      Callers: queue.entries.length,
      HoldTime: queue.holdtime,
      TalkTime: queue.talktime,
      LongestHoldTime: Math.max(0, ...queue.entries.map((e) => now - Math.floor(e.joinedAt / 1e6))),
      ActionID: ctx.actionId,
    });
    items++;
  }
  ctx.reply(out + listComplete('QueueSummaryComplete', ctx.actionId, items));
};

/** QueuePause: Interface and Paused required; without Queue, every queue of the interface. */
export const queuePause: ActionHandler = (ctx) => {
  const iface = ctx.header('Interface');
  const pausedHeader = ctx.header('Paused');
  if (!iface || !pausedHeader)
    return ctx.reply(error(ctx.actionId, "Need 'Interface' and 'Paused' parameters."));
  const paused = isTrue(pausedHeader);
  const { pbx } = ctx.engine;
  const queue = ctx.header('Queue');
  const known = [...pbx.queues.values()].some(
    (q) => (queue === undefined || q.name === queue) && q.member(iface) !== undefined,
  );
  if (!known) return ctx.reply(error(ctx.actionId, 'Interface not found'));
  ctx.reply(
    success(ctx.actionId, paused ? 'Interface paused successfully' : 'Interface unpaused successfully'),
  );
  pbx.pause(iface, paused, ctx.header('Reason') ?? '', queue);
};

export const queueAdd: ActionHandler = (ctx) => {
  const queueName = ctx.header('Queue');
  const iface = ctx.header('Interface');
  if (!queueName) return ctx.reply(error(ctx.actionId, "'Queue' not specified."));
  if (!iface) return ctx.reply(error(ctx.actionId, "'Interface' not specified."));
  const { pbx } = ctx.engine;
  const queue = pbx.queues.get(queueName);
  if (!queue) return ctx.reply(error(ctx.actionId, 'Unable to add interface to queue: No such queue'));
  if (queue.member(iface)) return ctx.reply(error(ctx.actionId, 'Unable to add interface: Already there'));
  const penalty = Number.parseInt(ctx.header('Penalty') ?? '0', 10);
  ctx.reply(success(ctx.actionId, 'Added interface to queue'));
  pbx.addMember(queue, iface, {
    memberName: ctx.header('MemberName'),
    stateInterface: ctx.header('StateInterface'),
    penalty: Number.isFinite(penalty) && penalty > 0 ? penalty : 0,
    paused: isTrue(ctx.header('Paused')),
    reason: ctx.header('Reason'),
  });
};

export const queueRemove: ActionHandler = (ctx) => {
  const queueName = ctx.header('Queue');
  const iface = ctx.header('Interface');
  if (!queueName || !iface) return ctx.reply(error(ctx.actionId, "Need 'Queue' and 'Interface' parameters."));
  const { pbx } = ctx.engine;
  const queue = pbx.queues.get(queueName);
  if (!queue) return ctx.reply(error(ctx.actionId, 'Unable to remove interface from queue: No such queue'));
  const member = queue.member(iface);
  if (!member) return ctx.reply(error(ctx.actionId, 'Unable to remove interface: Not there'));
  if (member.membership !== 'dynamic') return ctx.reply(error(ctx.actionId, 'Member not dynamic'));
  ctx.reply(success(ctx.actionId, 'Removed interface from queue'));
  pbx.removeMember(member);
};
