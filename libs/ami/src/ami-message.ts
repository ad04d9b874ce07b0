/**
 * One AMI message (an event, a response, or an action), as the parser yields it and the formatter writes it.
 * AMI keys are case-insensitive in practice, so keys are lower-cased here: `headers.linkedid`.
 */
export interface AmiMessage {
  /** Lower-cased key → its first value (an empty value is ''). */
  readonly headers: Readonly<Record<string, string>>;
  /** Lower-cased key → every value in order, only for keys that occur more than once (`Variable`). */
  readonly repeated: Readonly<Record<string, readonly string[]>> | null;
}

/** Every value of `key` (lower-cased) in order: one for most keys, several for `Variable` and the like. */
export function valuesOf(message: AmiMessage, key: string): readonly string[] {
  const all = message.repeated?.[key];
  if (all) return all;
  const one = message.headers[key];
  return one === undefined ? [] : [one];
}

/**
 * A message as AMI bytes: `Key: Value\r\n` lines, then an empty line. Fields keep the order given; an
 * array value repeats the key. Keys and values must not contain CR or LF (refused: header injection).
 */
export function formatAmiMessage(
  fields: Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>,
): string {
  let out = '';
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) {
      const text = String(one);
      if (/[\r\n]/.test(key) || /[\r\n]/.test(text)) {
        throw new Error(`AMI field ${JSON.stringify(key)} contains a line break`);
      }
      out += `${key}: ${text}\r\n`;
    }
  }
  return `${out}\r\n`;
}
