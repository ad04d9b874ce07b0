/**
 * The tiny path language of http-json field mappings: dot-separated keys and array indexes, with an
 * optional leading `$` (`$.data.customer.name`, `items.0.id`, `items[0].id`). No wildcards, filters or
 * quoting: a mapping names one value.
 */

/** The keys and indexes of a path, in order (indexes as digit strings). */
export type JsonPath = readonly string[];

export const MAX_PATH_LENGTH = 256;
const MAX_SEGMENTS = 32;

/** The parsed path, or the reason it is not one (in words an admin can act on). */
export type ParsedPath = { ok: true; path: JsonPath } | { ok: false; problem: string };

export function parseJsonPath(text: string): ParsedPath {
  if (text.length > MAX_PATH_LENGTH) return { ok: false, problem: `at most ${MAX_PATH_LENGTH} characters` };
  let rest = text.trim();
  if (rest.startsWith('$')) rest = rest.slice(1).replace(/^\./, '');
  if (rest === '') return { ok: false, problem: 'name at least one field, like data.customer.name' };
  const segments: string[] = [];
  let i = 0;
  let expectSegment = true;
  while (i < rest.length) {
    const ch = rest[i]!;
    if (ch === '[') {
      const close = rest.indexOf(']', i);
      const index = close < 0 ? '' : rest.slice(i + 1, close);
      if (!/^\d+$/.test(index)) return { ok: false, problem: `[…] takes an array index, like items[0]` };
      segments.push(String(Number(index)));
      i = close + 1;
      expectSegment = false;
    } else if (ch === '.') {
      if (expectSegment)
        return { ok: false, problem: 'an empty field name (two dots, or a dot at the start)' };
      i += 1;
      expectSegment = true;
    } else if (ch === ']') {
      return { ok: false, problem: 'a ] without its [' };
    } else {
      if (!expectSegment) return { ok: false, problem: `a dot is missing before "${rest.slice(i)}"` };
      let end = i;
      while (end < rest.length && !'.[]'.includes(rest[end]!)) end += 1;
      segments.push(rest.slice(i, end));
      i = end;
      expectSegment = false;
    }
  }
  if (expectSegment) return { ok: false, problem: 'the path ends with a dot' };
  if (segments.length > MAX_SEGMENTS) return { ok: false, problem: `at most ${MAX_SEGMENTS} steps` };
  return { ok: true, path: segments };
}

/**
 * The value at `path` inside `value`, or undefined when any step is missing. A digit step indexes an array
 * (or reads the key of those digits in an object); only an object's own keys are read, never inherited
 * ones such as `constructor` or `__proto__`.
 */
export function readJsonPath(value: unknown, path: JsonPath): unknown {
  let current: unknown = value;
  for (const step of path) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(step)) return undefined;
      current = current[Number(step)];
    } else if (typeof current === 'object' && current !== null) {
      if (!Object.hasOwn(current, step)) return undefined;
      current = (current as Record<string, unknown>)[step];
    } else {
      return undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}
