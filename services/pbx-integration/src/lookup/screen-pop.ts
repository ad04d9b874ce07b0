import type { screenPopSchema } from '@okc/contracts';
import type { z } from 'zod';

/** Caller data for the operator's screen (the `screenPop` of `call.offered`). */
export type ScreenPop = z.infer<typeof screenPopSchema>;
export type ScreenPopValue = ScreenPop[string];

/** The limits of `screenPopSchema` in libs/contracts (a unit test holds them together). */
export const SCREEN_POP_KEY_MAX = 128;
export const SCREEN_POP_VALUE_MAX = 4096;

/** At most `max` UTF-16 units (what zod's `.max` counts), without cutting a surrogate pair in two. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/**
 * A found value as a screen-pop value: strings (truncated), finite numbers and booleans as they are, dates
 * as ISO text, bytes as UTF-8 text, objects and arrays as JSON text. Null, undefined and non-finite numbers
 * are "not found": a null must not hide a value another connector found.
 */
export function toScreenPopValue(value: unknown): ScreenPopValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return truncate(value, SCREEN_POP_VALUE_MAX);
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return truncate(value.toString(), SCREEN_POP_VALUE_MAX);
  // By tag, not instanceof: drivers may build values in another realm (a test runner's VM context).
  if (Object.prototype.toString.call(value) === '[object Date]') {
    const time = (value as Date).getTime();
    return Number.isNaN(time) ? undefined : new Date(time).toISOString();
  }
  if (ArrayBuffer.isView(value)) {
    return truncate(
      Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8'),
      SCREEN_POP_VALUE_MAX,
    );
  }
  if (typeof value === 'object') return truncate(JSON.stringify(value), SCREEN_POP_VALUE_MAX);
  return undefined;
}

/** What a connector found: the mapped values, and the mapping keys that found nothing. */
export interface FieldsFound {
  /** Null when no mapped field has a value (a miss). */
  readonly screenPop: ScreenPop | null;
  readonly missingKeys: string[];
}

/** Applies a field mapping (`screen-pop key → source`) through `read`, which fetches one source's value. */
export function mapFields(
  mapping: Readonly<Record<string, string>>,
  read: (source: string) => unknown,
): FieldsFound {
  const screenPop: ScreenPop = {};
  const missingKeys: string[] = [];
  for (const [key, source] of Object.entries(mapping)) {
    const value = toScreenPopValue(read(source));
    if (value === undefined) missingKeys.push(key);
    else screenPop[truncate(key, SCREEN_POP_KEY_MAX)] = value;
  }
  return { screenPop: Object.keys(screenPop).length > 0 ? screenPop : null, missingKeys };
}

/** One screen pop from several, in priority order: the first to name a key wins it. Null when empty. */
export function mergeScreenPops(pops: readonly (ScreenPop | null | undefined)[]): ScreenPop | null {
  const merged: ScreenPop = {};
  for (const pop of pops) {
    if (!pop) continue;
    for (const [key, value] of Object.entries(pop)) if (!Object.hasOwn(merged, key)) merged[key] = value;
  }
  return Object.keys(merged).length > 0 ? merged : null;
}
