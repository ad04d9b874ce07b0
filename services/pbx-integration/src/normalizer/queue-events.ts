import type { QUEUE_OUTCOMES } from '@okc/contracts';
import { intOrNull, type AmiHeaders } from './ami-fields';
import type { CallContext, CallState, EventTime, QueueEntry } from './call-state';
import { secondsBetween, type CanonicalFact } from './facts';

export type QueueOutcome = (typeof QUEUE_OUTCOMES)[number];

/*
 * app_queue's order of events (Asterisk 22, and the 13/15 capture in PBX-ASTERISK.md §4.2):
 *   answered:  … DialEnd ANSWER, QueueCallerLeave, AgentConnect
 *   abandoned: QueueCallerAbandon, QueueCallerLeave, then the caller's Hangup (no QUEUESTATUS)
 *   timeout / leave-when-empty: app_queue's record_abandoned() sends QueueCallerAbandon for these too, then
 *     QueueCallerLeave, then VarSet QUEUESTATUS (TIMEOUT, LEAVEEMPTY…) — so an Abandon alone decides nothing.
 *   other exits: QueueCallerLeave, then VarSet QUEUESTATUS (queue_exec sets it after leave_queue):
 *     TIMEOUT → timeout, LEAVEEMPTY / LEAVEUNAVAIL → exit-empty, WITHDRAW → overflow.
 *   exit with a key: QueueCallerLeave and no QUEUESTATUS at all (the reason stays QUEUE_UNKNOWN).
 * So every Leave is held until AgentConnect, QUEUESTATUS or the caller channel's next move (hangup, bridge,
 * dial, another queue) decides it; with a preceding Abandon and no QUEUESTATUS it is an abandon. The last case is exit-key when this connection shows
 * VarSet events (it would have carried QUEUESTATUS), else timeout: the likeliest exit we cannot see.
 * JOINEMPTY / JOINUNAVAIL / FULL come without any QueueCallerJoin (the caller never entered) and without a
 * queue name: no queue fact is made for them.
 */
const QUEUESTATUS_OUTCOMES: Readonly<Record<string, QueueOutcome>> = {
  TIMEOUT: 'timeout',
  LEAVEEMPTY: 'exit-empty',
  LEAVEUNAVAIL: 'exit-empty',
  JOINEMPTY: 'exit-empty',
  JOINUNAVAIL: 'exit-empty',
  FULL: 'overflow',
  WITHDRAW: 'overflow',
  CONTINUE: 'answered',
};

export function queueJoin(
  ctx: CallContext,
  call: CallState,
  callerUid: string,
  h: AmiHeaders,
  at: EventTime,
  out: CanonicalFact[],
): void {
  const queue = h.queue;
  if (!queue) return;
  const current = call.queues.get(callerUid);
  if (current) {
    if (current.queue === queue && current.leave === null) return; // the same join, repeated
    // Still in (or undecided about) another stay: a missed Leave means it was moved on.
    closeEntry(ctx, call, current, current.leave ? fallbackOutcome(ctx) : 'overflow', at, null, out);
  }
  ctx.ensureStarted(call, out);
  const entry: QueueEntry = {
    visit: ++call.visits,
    queue,
    callerUid,
    joined: at,
    ringing: new Map(),
    offers: new Map(),
    abandon: null,
    leave: null,
  };
  call.queues.set(callerUid, entry);
  ctx.emit(
    out,
    call,
    'call.queued',
    at.ms,
    { queue, position: positiveInt(h.position) ?? 1 },
    `${call.id}|call.queued|${entry.visit}`,
  );
}

export function agentCalled(
  ctx: CallContext,
  call: CallState,
  callerUid: string,
  h: AmiHeaders,
  at: EventTime,
  out: CanonicalFact[],
): void {
  const agentInterface = h.interface;
  if (!agentInterface) return;
  const entry = call.queues.get(callerUid);
  if (entry?.ringing.has(agentInterface)) return; // still ringing: AMI repeating itself
  let ordinal = 1;
  if (entry) {
    ordinal = (entry.offers.get(agentInterface) ?? 0) + 1;
    entry.offers.set(agentInterface, ordinal);
    entry.ringing.set(agentInterface, at.ms);
  }
  ctx.ensureStarted(call, out);
  const visit = entry?.visit ?? call.visits;
  ctx.emit(
    out,
    call,
    'call.offered',
    at.ms,
    {
      agentInterface,
      agentUserId: ctx.agentUserId(agentInterface),
      queue: h.queue || entry?.queue || null,
      screenPop: null,
    },
    `${call.id}|call.offered|${visit}|${agentInterface}|${ordinal}`,
  );
}

export function agentRingNoAnswer(
  ctx: CallContext,
  call: CallState,
  callerUid: string,
  h: AmiHeaders,
  at: EventTime,
  out: CanonicalFact[],
): void {
  const agentInterface = h.interface;
  if (!agentInterface) return;
  const entry = call.queues.get(callerUid);
  const offeredMs = entry?.ringing.get(agentInterface);
  entry?.ringing.delete(agentInterface);
  const ordinal = entry?.offers.get(agentInterface) ?? 1;
  // RingTime is in milliseconds here (app_queue's rna()), unlike AgentConnect's RingTime in seconds.
  const ringMs = intOrNull(h.ringtime);
  const ringSeconds =
    ringMs !== null && ringMs >= 0
      ? ringMs / 1000
      : offeredMs !== undefined
        ? secondsBetween(offeredMs, at.ms)
        : 0;
  ctx.ensureStarted(call, out);
  ctx.emit(
    out,
    call,
    'call.ring-no-answer',
    at.ms,
    {
      agentInterface,
      agentUserId: ctx.agentUserId(agentInterface),
      queue: h.queue || entry?.queue || null,
      ringSeconds,
    },
    `${call.id}|call.ring-no-answer|${entry?.visit ?? call.visits}|${agentInterface}|${ordinal}`,
  );
}

export function queueAbandon(
  ctx: CallContext,
  call: CallState,
  callerUid: string,
  h: AmiHeaders,
  _at: EventTime,
  _out: CanonicalFact[],
): void {
  const entry = call.queues.get(callerUid);
  if (!entry || entry.abandon) return;
  entry.abandon = { holdTime: intOrNull(h.holdtime), position: positiveInt(h.position) };
}

export function queueLeave(
  ctx: CallContext,
  call: CallState,
  callerUid: string,
  h: AmiHeaders,
  at: EventTime,
  _out: CanonicalFact[],
): void {
  const entry = call.queues.get(callerUid);
  if (!entry || entry.leave) return;
  entry.leave = { at, position: positiveInt(h.position) };
}

export function agentConnect(
  ctx: CallContext,
  call: CallState,
  callerUid: string,
  h: AmiHeaders,
  at: EventTime,
  out: CanonicalFact[],
): void {
  const agentInterface = h.interface;
  if (!agentInterface) return;
  const entry = call.queues.get(callerUid);
  const holdTime = intOrNull(h.holdtime);
  const waitSeconds = entry ? closeEntry(ctx, call, entry, 'answered', at, holdTime, out) : holdTime;
  ctx.ensureStarted(call, out);
  call.answered.add(agentInterface);
  ctx.emit(
    out,
    call,
    'call.answered',
    at.ms,
    {
      agentInterface,
      agentUserId: ctx.agentUserId(agentInterface),
      queue: h.queue || entry?.queue || null,
      waitSeconds: waitSeconds !== null && waitSeconds >= 0 ? waitSeconds : null,
    },
    `${call.id}|call.answered|${entry?.visit ?? call.visits}|${agentInterface}`,
  );
}

/** VarSet QUEUESTATUS on a caller channel that has just left a queue. */
export function queueStatus(
  ctx: CallContext,
  call: CallState,
  callerUid: string,
  value: string,
  at: EventTime,
  out: CanonicalFact[],
): void {
  const entry = call.queues.get(callerUid);
  const outcome = QUEUESTATUS_OUTCOMES[value.trim().toUpperCase()];
  if (!entry?.leave || outcome === undefined) return;
  closeEntry(ctx, call, entry, outcome, at, null, out);
}

/**
 * The caller channel did something after leaving a queue (or hung up): an undecided stay is decided now.
 * A hangup while still waiting is an abandon even if the QueueCallerAbandon was lost.
 */
export function callerMoved(
  ctx: CallContext,
  call: CallState,
  callerUid: string,
  hungUp: boolean,
  at: EventTime,
  out: CanonicalFact[],
): void {
  const entry = call.queues.get(callerUid);
  if (!entry) return;
  if (entry.leave)
    closeEntry(ctx, call, entry, entry.abandon ? 'abandoned' : fallbackOutcome(ctx), at, null, out);
  else if (hungUp) closeEntry(ctx, call, entry, 'abandoned', at, null, out);
}

/** The call is over: every stay still open is decided. */
export function closeAllEntries(
  ctx: CallContext,
  call: CallState,
  at: EventTime,
  out: CanonicalFact[],
): void {
  for (const entry of [...call.queues.values()]) {
    const outcome = entry.abandon || !entry.leave ? 'abandoned' : fallbackOutcome(ctx);
    closeEntry(ctx, call, entry, outcome, at, null, out);
  }
}

/** Emits call.left-queue and forgets the stay; returns the wait in seconds. */
function closeEntry(
  ctx: CallContext,
  call: CallState,
  entry: QueueEntry,
  outcome: QueueOutcome,
  at: EventTime,
  holdTime: number | null,
  out: CanonicalFact[],
): number {
  call.queues.delete(entry.callerUid);
  const left = entry.leave?.at ?? at;
  // The PBX's own timestamps are precise to the microsecond; HoldTime is whole seconds and only a fallback
  // when the times are receive times.
  const hint = entry.abandon?.holdTime ?? holdTime;
  const waitSeconds =
    (entry.joined.exact && left.exact) || hint === null || hint < 0
      ? secondsBetween(entry.joined.ms, left.ms)
      : hint;
  ctx.ensureStarted(call, out);
  ctx.emit(
    out,
    call,
    'call.left-queue',
    left.ms,
    {
      queue: entry.queue,
      outcome,
      waitSeconds,
      position: entry.leave?.position ?? entry.abandon?.position ?? null,
    },
    `${call.id}|call.left-queue|${entry.visit}`,
  );
  return waitSeconds;
}

function fallbackOutcome(ctx: CallContext): QueueOutcome {
  return ctx.dialplanEventsSeen ? 'exit-key' : 'timeout';
}

function positiveInt(value: string | undefined): number | null {
  const n = intOrNull(value);
  return n !== null && n > 0 ? n : null;
}
