import type { CanonicalFact } from '../normalizer/facts';

/**
 * How far apart (ms) the AMI event time in a member factKey may be from the queue_log time of the same change:
 * queue_log keeps whole seconds (a file) and Asterisk writes the line and the AMI event a moment apart, possibly
 * across a second boundary. [-1 s, +2 s) around the queue_log time.
 */
const MEMBER_EARLIER_MS = 1000;
const MEMBER_LATER_MS = 2000;

/** `<tenant>:<iface>|member.<kind>|…|<epoch ms>`: the member factKeys, which end in the event's time. */
const MEMBER_KEY = /^(.+\|member\.(?:paused|added|removed)\|.*)\|(\d{1,15})$/;

/**
 * The facts of a queue_log import that the service has not delivered yet: those whose factKey is not in
 * `seenFactKeys` (the factKeys already delivered, from AMI or an earlier import).
 *
 * Call facts match exactly: their keys use ordinals, which queue_log rebuilds. Member facts
 * (member.paused / added / removed) carry the event time in ms in their key, and queue_log knows it only to
 * the second, so they also match a seen key that differs only in that time, within [-1 s, +2 s): the same
 * member, queue and state changed again that fast is taken to be the same change.
 */
export function dedupeAgainst(
  facts: readonly CanonicalFact[],
  seenFactKeys: ReadonlySet<string>,
): CanonicalFact[] {
  let seenMemberTimes: Map<string, number[]> | null = null;
  return facts.filter((fact) => {
    if (seenFactKeys.has(fact.factKey)) return false;
    const own = MEMBER_KEY.exec(fact.factKey);
    if (!own) return true;
    seenMemberTimes ??= memberTimes(seenFactKeys);
    const ms = Number(own[2]);
    const times = seenMemberTimes.get(own[1] ?? '') ?? [];
    return !times.some((seen) => seen >= ms - MEMBER_EARLIER_MS && seen < ms + MEMBER_LATER_MS);
  });
}

/** Seen member factKeys grouped by everything but their time: one pass over the set, only when needed. */
function memberTimes(seenFactKeys: ReadonlySet<string>): Map<string, number[]> {
  const byPrefix = new Map<string, number[]>();
  for (const key of seenFactKeys) {
    const match = MEMBER_KEY.exec(key);
    if (!match) continue;
    const prefix = match[1] ?? '';
    const times = byPrefix.get(prefix);
    if (times) times.push(Number(match[2]));
    else byPrefix.set(prefix, [Number(match[2])]);
  }
  return byPrefix;
}
