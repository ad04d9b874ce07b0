import { error, listComplete, listItem, listStart, success } from '../server/responses';
import type { ActionHandler } from './action-context';

/** AstDB in memory (main/db.c's manager actions): DBPut, DBGet, DBDel, DBDelTree. */

const key = (family: string, k: string) => `${family}/${k}`;

export const dbPut: ActionHandler = (ctx) => {
  const family = ctx.header('Family');
  const k = ctx.header('Key');
  if (!family) return ctx.reply(error(ctx.actionId, 'No family specified'));
  if (!k) return ctx.reply(error(ctx.actionId, 'No key specified'));
  ctx.engine.pbx.astdb.set(key(family, k), ctx.header('Val') ?? '');
  ctx.reply(success(ctx.actionId, 'Updated database successfully'));
};

/**
 * Asterisk 22 answers DBGet with a list: `Response: Success / EventList: start / Message: Result will follow`,
 * one `Event: DBGetResponse` (Family, Key, Val, ActionID), then `Event: DBGetComplete` with ListItems: 1.
 */
export const dbGet: ActionHandler = (ctx) => {
  const family = ctx.header('Family');
  const k = ctx.header('Key');
  if (!family) return ctx.reply(error(ctx.actionId, 'No family specified.'));
  if (!k) return ctx.reply(error(ctx.actionId, 'No key specified.'));
  const value = ctx.engine.pbx.astdb.get(key(family, k));
  if (value === undefined) return ctx.reply(error(ctx.actionId, 'Database entry not found'));
  ctx.reply(
    listStart(ctx.actionId, 'Result will follow') +
      listItem('DBGetResponse', { Family: family, Key: k, Val: value, ActionID: ctx.actionId }) +
      listComplete('DBGetComplete', ctx.actionId, 1),
  );
};

export const dbDel: ActionHandler = (ctx) => {
  const family = ctx.header('Family');
  const k = ctx.header('Key');
  if (!family) return ctx.reply(error(ctx.actionId, 'No family specified.'));
  if (!k) return ctx.reply(error(ctx.actionId, 'No key specified.'));
  if (!ctx.engine.pbx.astdb.delete(key(family, k)))
    return ctx.reply(error(ctx.actionId, 'Database entry not found'));
  ctx.reply(success(ctx.actionId, 'Key deleted successfully'));
};

export const dbDelTree: ActionHandler = (ctx) => {
  const family = ctx.header('Family');
  if (!family) return ctx.reply(error(ctx.actionId, 'No family specified.'));
  const prefix = ctx.header('Key') ? key(family, ctx.header('Key')!) : `${family}/`;
  const db = ctx.engine.pbx.astdb;
  const doomed = [...db.keys()].filter(
    (k) => k === prefix || k.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`),
  );
  for (const k of doomed) db.delete(k);
  if (doomed.length === 0) return ctx.reply(error(ctx.actionId, 'Database entry not found'));
  ctx.reply(success(ctx.actionId, 'Key tree deleted successfully'));
};
