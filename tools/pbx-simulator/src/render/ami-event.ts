import { formatAmiMessage } from '@okc/ami';

/** Asterisk's event classes, as `Privilege: <class>,all` names them and `Events:` filters them. */
export type EventClass = 'system' | 'call' | 'agent' | 'dialplan' | 'cdr' | 'security' | 'user' | 'reporting';

export const EVENT_CLASSES: readonly EventClass[] = [
  'system',
  'call',
  'agent',
  'dialplan',
  'cdr',
  'security',
  'user',
  'reporting',
];

export type Fields = Record<string, string | number>;

/** An event before it has a time: what the renderers build. */
export interface EventSpec {
  readonly name: string;
  readonly cls: EventClass;
  readonly fields: Fields;
}

/** An emitted event: timestamped from the virtual clock. */
export interface AmiEvent extends EventSpec {
  readonly micros: number;
}

/** `1795637069.419124`: seconds and microseconds, as with `timestampevents = yes`. */
export function formatTimestamp(micros: number): string {
  const seconds = Math.floor(micros / 1e6);
  return `${seconds}.${String(micros - seconds * 1e6).padStart(6, '0')}`;
}

/** The bytes a `read = all` session receives for an event. */
export function renderEvent(event: AmiEvent): string {
  return formatAmiMessage({
    Event: event.name,
    Privilege: `${event.cls},all`,
    Timestamp: formatTimestamp(event.micros),
    ...event.fields,
  });
}

/** `2026-11-25 20:04:29`, the CEL/CDR time format (the simulated server runs in UTC). */
export function formatDateTime(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19).replace('T', ' ');
}

/** `2026-11-25T20:04:28.725+0000`, the security events' format. */
export function formatEventTv(micros: number): string {
  return `${new Date(Math.floor(micros / 1000)).toISOString().slice(0, 23)}+0000`;
}
