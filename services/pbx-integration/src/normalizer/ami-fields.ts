/** Reading AMI header values: lower-cased keys, strings as Asterisk wrote them. */
export type AmiHeaders = Readonly<Record<string, string>>;

/** One channel block of an event: the plain one (prefix '') or a prefixed copy (`dest`, `transferee`, …). */
export interface ChannelRef {
  readonly uniqueid: string;
  readonly name: string;
  /** Missing in some trimmed captures (older Asterisk): then the channel's known call is used. */
  readonly linkedid: string | undefined;
  readonly context: string | undefined;
  readonly exten: string | undefined;
  readonly state: string | undefined;
  readonly callerNum: string | undefined;
  readonly callerName: string | undefined;
}

export function channelRef(h: AmiHeaders, prefix = ''): ChannelRef | null {
  const uniqueid = h[`${prefix}uniqueid`];
  if (!uniqueid) return null;
  return {
    uniqueid,
    name: h[`${prefix}channel`] ?? '',
    linkedid: h[`${prefix}linkedid`] || undefined,
    context: h[`${prefix}context`],
    exten: h[`${prefix}exten`],
    state: h[`${prefix}channelstate`],
    callerNum: h[`${prefix}calleridnum`],
    callerName: h[`${prefix}calleridname`],
  };
}

/**
 * Event time in epoch ms from `Timestamp:` (timestampevents = yes: `1795637069.421202`), read as text so that
 * no float rounding moves it across a millisecond; null when absent or malformed.
 */
export function timestampMs(h: AmiHeaders): number | null {
  const text = h.timestamp;
  if (!text) return null;
  const dot = text.indexOf('.');
  const whole = dot === -1 ? text : text.slice(0, dot);
  if (!/^\d{1,12}$/.test(whole)) return null;
  let ms = Number(whole) * 1000;
  if (dot !== -1) {
    const fraction = text.slice(dot + 1);
    if (!/^\d{1,9}$/.test(fraction)) return null;
    ms += Number(fraction.slice(0, 3).padEnd(3, '0'));
  }
  return ms;
}

/** `PJSIP/101-0000002a` → `PJSIP/101`; `Local/101@agents-00000036;1` → `Local/101@agents`. */
export function interfaceOfChannel(name: string): string {
  return name.replace(/;\d+$/, '').replace(/-[0-9a-f]+$/i, '');
}

export function isLocalChannel(name: string): boolean {
  return name.startsWith('Local/');
}

/** Caller-id text, or null for what Asterisk writes when there is none. */
export function callerIdText(value: string | undefined, max: number): string | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (text === '' || text === '<unknown>' || text === '<Unknown>') return null;
  return text.slice(0, max);
}

/** A dialled number or DID: digits with an optional leading `+` (not `s`, `h`, a queue name…). */
export function phoneNumberOrNull(value: string | undefined): string | null {
  if (value === undefined) return null;
  const text = value.trim();
  return /^\+?\d{2,32}$/.test(text) ? text : null;
}

/** The number in a Dial string: `79160000002@provider`, `trunk/79160000002`, `PJSIP/79160000002@provider`. */
export function numberOfDialString(dialString: string | undefined): string | null {
  if (!dialString) return null;
  const beforeAt = dialString.split('@', 1)[0] ?? '';
  const slash = beforeAt.lastIndexOf('/');
  return phoneNumberOrNull(slash === -1 ? beforeAt : beforeAt.slice(slash + 1));
}

export function intOrNull(value: string | undefined): number | null {
  if (value === undefined || !/^-?\d{1,15}$/.test(value.trim())) return null;
  return Number(value.trim());
}

/** AMI booleans: `1`/`0`, `true`/`false`, `yes`/`no`. */
export function amiBoolean(value: string | undefined): boolean | null {
  if (value === undefined) return null;
  switch (value.trim().toLowerCase()) {
    case '1':
    case 'true':
    case 'yes':
      return true;
    case '0':
    case 'false':
    case 'no':
      return false;
    default:
      return null;
  }
}
