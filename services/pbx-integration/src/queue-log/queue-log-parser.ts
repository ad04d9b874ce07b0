/**
 * Asterisk queue_log, read into typed records: a file line `UNIXTIME|CALLID|QUEUE|AGENT|EVENT|data1|…`, or a
 * row of a queue_log table (`time, callid, queuename, agent, event, data1..data5`, or one `data` column).
 * Syntax only: a bad line becomes a skip with its reason, never an exception. What the fields mean is the
 * importer's business (`queue-log-importer.ts`).
 */

/** Events that make facts. */
export const QUEUE_LOG_FACT_EVENTS = [
  'ENTERQUEUE',
  'CONNECT',
  'COMPLETEAGENT',
  'COMPLETECALLER',
  'ABANDON',
  'EXITEMPTY',
  'EXITWITHTIMEOUT',
  'EXITWITHKEY',
  'WITHDRAW',
  'RINGNOANSWER',
  'TRANSFER',
  'BLINDTRANSFER',
  'ATTENDEDTRANSFER',
  'PAUSE',
  'UNPAUSE',
  'PAUSEALL',
  'UNPAUSEALL',
  'ADDMEMBER',
  'REMOVEMEMBER',
] as const;

/**
 * Events Asterisk (or FreePBX, Wazo) writes that make no fact: counted, not reported as bad. JOINEMPTY,
 * JOINUNAVAIL and FULL: the caller never entered, and the AMI normalizer makes no queue fact for them either.
 */
export const QUEUE_LOG_IGNORED_EVENTS = [
  'QUEUESTART',
  'CONFIGRELOAD',
  'AGENTLOGIN',
  'AGENTLOGOFF',
  'AGENTCALLBACKLOGIN',
  'AGENTCALLBACKLOGOFF',
  'AGENTDUMP',
  'RINGCANCELED',
  'SYSCOMPAT',
  'PENALTY',
  'DID',
  'JOINEMPTY',
  'JOINUNAVAIL',
  'FULL',
  'INFO',
] as const;

export type QueueLogFactEvent = (typeof QUEUE_LOG_FACT_EVENTS)[number];
export type QueueLogIgnoredEvent = (typeof QUEUE_LOG_IGNORED_EVENTS)[number];
export type QueueLogEvent = QueueLogFactEvent | QueueLogIgnoredEvent;

/**
 * The fewest data fields each event has had in any Asterisk version (older ones wrote fewer: EXITWITHTIMEOUT
 * was `position` only, EXITWITHKEY `key|position`); the importer falls back where a later field is missing.
 */
const MIN_DATA_FIELDS: Readonly<Record<QueueLogEvent, number>> = {
  ENTERQUEUE: 2,
  CONNECT: 1,
  COMPLETEAGENT: 2,
  COMPLETECALLER: 2,
  ABANDON: 3,
  EXITEMPTY: 3,
  EXITWITHTIMEOUT: 1,
  EXITWITHKEY: 2,
  WITHDRAW: 3,
  RINGNOANSWER: 1,
  TRANSFER: 2,
  BLINDTRANSFER: 2,
  ATTENDEDTRANSFER: 2,
  PAUSE: 0,
  UNPAUSE: 0,
  PAUSEALL: 0,
  UNPAUSEALL: 0,
  ADDMEMBER: 0,
  REMOVEMEMBER: 0,
  QUEUESTART: 0,
  CONFIGRELOAD: 0,
  AGENTLOGIN: 0,
  AGENTLOGOFF: 0,
  AGENTCALLBACKLOGIN: 0,
  AGENTCALLBACKLOGOFF: 0,
  AGENTDUMP: 0,
  RINGCANCELED: 0,
  SYSCOMPAT: 0,
  PENALTY: 0,
  DID: 0,
  JOINEMPTY: 0,
  JOINUNAVAIL: 0,
  FULL: 0,
  INFO: 0,
};

const IGNORED: ReadonlySet<string> = new Set(QUEUE_LOG_IGNORED_EVENTS);

export function isIgnoredEvent(event: QueueLogEvent): event is QueueLogIgnoredEvent {
  return IGNORED.has(event);
}

function isKnownEvent(event: string): event is QueueLogEvent {
  return Object.hasOwn(MIN_DATA_FIELDS, event);
}

/** One queue_log entry. */
export interface QueueLogRecord {
  /** Epoch ms: whole seconds from a file; finer when a table's time column keeps fractions. */
  readonly timeMs: number;
  /** The caller channel's Uniqueid (not its Linkedid), or `NONE` / `REALTIME` for member events. */
  readonly callId: string;
  /** The queue, or `NONE`. */
  readonly queue: string;
  /** The member name or interface (see `log_membername_as_agent`), or `NONE`. */
  readonly agent: string;
  readonly event: QueueLogEvent;
  readonly data: readonly string[];
  /** 1-based line of the file it came from. */
  readonly line?: number;
  /** The row id, when read from a table with an id column. */
  readonly rowId?: string;
}

/** A line or row that was not used, and why. */
export interface QueueLogSkip {
  readonly line?: number;
  readonly rowId?: string;
  readonly reason: string;
}

export type QueueLogParse =
  | { readonly ok: true; readonly record: QueueLogRecord }
  | { readonly ok: false; readonly skip: QueueLogSkip };

interface Origin {
  readonly line?: number;
  readonly rowId?: string;
}

/** Parses one file line (without its line break; a trailing `\r` is dropped). */
export function parseQueueLogLine(text: string, line?: number): QueueLogParse {
  const origin: Origin = line === undefined ? {} : { line };
  const body = text.endsWith('\r') ? text.slice(0, -1) : text;
  if (body.trim() === '') return bad(origin, 'empty line');
  const fields = body.split('|');
  if (fields.length < 5) {
    return bad(
      origin,
      `expected at least 5 fields (UNIXTIME|CALLID|QUEUE|AGENT|EVENT), got ${fields.length}`,
    );
  }
  const [time = '', callId = '', queue = '', agent = '', event = ''] = fields;
  const timeMs = unixTimeMs(time);
  if (timeMs === null) return bad(origin, `time "${clip(time)}" is not a UNIX time`);
  return build(origin, timeMs, callId, queue, agent, event, fields.slice(5));
}

/** Parses a whole queue_log text (tests, small files): records and bad lines, numbered from `firstLine`. */
export function parseQueueLog(
  text: string,
  firstLine = 1,
): { records: QueueLogRecord[]; skipped: QueueLogSkip[] } {
  const records: QueueLogRecord[] = [];
  const skipped: QueueLogSkip[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop(); // the final line break ends the last line, it does not start one
  lines.forEach((lineText, i) => {
    const parsed = parseQueueLogLine(lineText, firstLine + i);
    if (parsed.ok) records.push(parsed.record);
    else skipped.push(parsed.skip);
  });
  return { records, skipped };
}

/**
 * A row of a queue_log table, under the canonical column names (the table reader aliases configured names to
 * these). Cells as a driver returns them: strings, numbers, Buffers, Dates, null.
 */
export interface QueueLogRow {
  /** UNIX seconds (number or text, fractions allowed), `YYYY-MM-DD HH:MM:SS[.ffffff]` text, or a Date. */
  readonly time: unknown;
  readonly callid: unknown;
  readonly queuename: unknown;
  readonly agent: unknown;
  readonly event: unknown;
  readonly data1?: unknown;
  readonly data2?: unknown;
  readonly data3?: unknown;
  readonly data4?: unknown;
  readonly data5?: unknown;
  /** Non-adaptive realtime queue_log: every data field in one column, joined by `|`. */
  readonly data?: unknown;
  readonly id?: unknown;
}

export interface QueueLogRowOptions {
  /**
   * The IANA time zone of `YYYY-MM-DD HH:MM:SS` times (Asterisk's realtime queue_log writes the PBX's local
   * time). Default `UTC`. UNIX times and Dates are absolute and ignore it.
   */
  readonly timeZone?: string;
}

/**
 * Parses one table row. The data cells are data1..data5 (the unused trailing ones empty), or one `data` cell;
 * the last cell is split on `|` (Asterisk puts the fields beyond the fifth there).
 */
export function parseQueueLogRow(row: QueueLogRow, options: QueueLogRowOptions = {}): QueueLogParse {
  const id = row.id === undefined || row.id === null ? null : cellText(row.id);
  const origin: Origin = id ? { rowId: id } : {};
  const timeMs = rowTimeMs(row.time, options.timeZone ?? 'UTC');
  if (timeMs === null) return bad(origin, `time "${clip(String(cellText(row.time)))}" is not a time`);
  const callId = cellText(row.callid);
  const queue = cellText(row.queuename);
  const agent = cellText(row.agent);
  const event = cellText(row.event);
  if (callId === null || queue === null || agent === null || event === null) {
    return bad(origin, 'callid, queuename, agent and event must be text');
  }
  const numbered = [row.data1, row.data2, row.data3, row.data4, row.data5];
  const cells = numbered.some((c) => c !== undefined) ? numbered : [row.data];
  const data: string[] = [];
  for (const cell of cells) {
    const text = cell === undefined ? '' : cellText(cell);
    if (text === null) return bad(origin, 'a data cell is not text');
    data.push(text);
  }
  const last = data.pop() ?? '';
  data.push(...last.split('|'));
  while (data.length > 0 && data.at(-1) === '') data.pop();
  return build(origin, timeMs, callId, queue, agent, event, data);
}

function build(
  origin: Origin,
  timeMs: number,
  callId: string,
  queue: string,
  agent: string,
  eventText: string,
  data: string[],
): QueueLogParse {
  const event = eventText.trim().toUpperCase();
  if (!isKnownEvent(event)) return bad(origin, `unknown event "${clip(eventText)}"`);
  const needed = MIN_DATA_FIELDS[event];
  if (data.length < needed) {
    return bad(origin, `${event} needs at least ${needed} data field(s), got ${data.length}`);
  }
  return {
    ok: true,
    record: {
      timeMs,
      callId: callId.trim(),
      queue: queue.trim(),
      agent: agent.trim(),
      event,
      data,
      ...origin,
    },
  };
}

function bad(origin: Origin, reason: string): QueueLogParse {
  return { ok: false, skip: { ...origin, reason } };
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** `1366720340` or `1366720340.303267` → epoch ms, read as text so no float rounding moves it. */
function unixTimeMs(text: string): number | null {
  const match = /^(\d{1,12})(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * 1000 + Number((match[2] ?? '').slice(0, 3).padEnd(3, '0'));
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

function rowTimeMs(cell: unknown, timeZone: string): number | null {
  if (cell instanceof Date) return Number.isFinite(cell.getTime()) ? cell.getTime() : null;
  const text = cellText(cell);
  if (text === null) return null;
  const unix = unixTimeMs(text);
  if (unix !== null) return unix;
  const m = DATE_TIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, fraction = ''] = m;
  const wallMs =
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) +
    Number(fraction.slice(0, 3).padEnd(3, '0'));
  return Number.isFinite(wallMs) ? wallTimeToUtcMs(wallMs, timeZone) : null;
}

/** A cell as text (a NULL cell is empty); null for a cell that is no text at all (an object). */
function cellText(cell: unknown): string | null {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number' || typeof cell === 'bigint') return String(cell);
  if (Buffer.isBuffer(cell)) return cell.toString('utf8');
  return null;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** Throws a RangeError for a zone the runtime does not know: a configuration error, found at startup. */
export function assertTimeZone(timeZone: string): void {
  zoneFormat(timeZone);
}

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    zoneFormats.set(timeZone, format);
  }
  return format;
}

/**
 * The wall time of a zone at a UTC instant as a DATETIME column prints it, `YYYY-MM-DD HH:MM:SS` (whole
 * seconds, rounded down): the inverse of how table rows are read, for comparing with such a column.
 */
export function formatWallTime(utcMs: number, timeZone: string): string {
  const wallMs = Math.floor(utcMs / 1000) * 1000 + zoneOffsetMs(utcMs, timeZone);
  return new Date(wallMs).toISOString().slice(0, 19).replace('T', ' ');
}

/** How far the zone's wall clock is ahead of UTC at a UTC instant, in ms. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of zoneFormat(timeZone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** A wall-clock time in a zone → UTC epoch ms (two passes settle the offset around DST changes). */
function wallTimeToUtcMs(wallMs: number, timeZone: string): number {
  if (timeZone === 'UTC') return wallMs;
  const guess = wallMs - zoneOffsetMs(wallMs, timeZone);
  return wallMs - zoneOffsetMs(guess, timeZone);
}
