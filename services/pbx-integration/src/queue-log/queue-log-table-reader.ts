import {
  assertTimeZone,
  parseQueueLogRow,
  type QueueLogRecord,
  type QueueLogRow,
  type QueueLogSkip,
} from './queue-log-parser';

/**
 * What the reader needs of a mysql2 connection or pool (`mysql2/promise`): `query(sql, values)` resolving to
 * `[rows, fields]`. Values are sent as `?` placeholders, escaped by the driver.
 */
export interface QueueLogSqlClient {
  query(sql: string, values: unknown[]): Promise<[unknown, unknown]>;
}

/** Column names of the table; the defaults are Asterisk's realtime queue_log (also Wazo's and qpanel's). */
export interface QueueLogColumns {
  readonly time: string;
  readonly callid: string;
  readonly queuename: string;
  readonly agent: string;
  readonly event: string;
  /** 1–5 data columns in order; a single one holds every field joined by `|` (non-adaptive realtime). */
  readonly data: readonly string[];
}

export interface QueueLogTableOptions {
  /** Default `queue_log`. */
  readonly table?: string;
  readonly columns?: Partial<QueueLogColumns>;
  /**
   * An ever-increasing id column (`id` in Asterisk's and Wazo's schemas): orders rows of the same time as they
   * were written. Without it, rows within one time value come in the database's order.
   */
  readonly idColumn?: string;
  /** Rows per query, 1–10 000. Default 1000. */
  readonly pageSize?: number;
  /** IANA zone of DATETIME / text times (Asterisk writes the PBX's local time). Default `UTC`. */
  readonly timeZone?: string;
}

export interface QueueLogTableReadOptions {
  /** Read rows with a time after this cursor (the `cursor` of an earlier read); null or absent: from the start. */
  readonly after?: string | null;
  /** Stop once this many rows were read (at the end of a time value, never inside one). Default: all. */
  readonly maxRows?: number;
}

export interface QueueLogTableRead {
  readonly records: QueueLogRecord[];
  readonly skipped: QueueLogSkip[];
  readonly rows: number;
  /**
   * The time column's value of the last row read, as the database prints it (`CAST(time AS CHAR)`): pass it
   * back as `after` to resume. Exact for INT, DECIMAL, DATETIME(6) and text columns alike. Unchanged when
   * nothing was read.
   */
  readonly cursor: string | null;
  /** Nothing more after `cursor` at the time of reading. */
  readonly done: boolean;
}

const DEFAULT_COLUMNS: QueueLogColumns = {
  time: 'time',
  callid: 'callid',
  queuename: 'queuename',
  agent: 'agent',
  event: 'event',
  data: ['data1', 'data2', 'data3', 'data4', 'data5'],
};

const IDENTIFIER = /^[A-Za-z0-9_]+$/;
const MAX_PAGE = 10_000;

interface TableRow extends QueueLogRow {
  readonly time: string | null;
}

/**
 * A queue_log table reader: pages with `WHERE time > ? ORDER BY time LIMIT n`. A page that ends inside one
 * time value (queue_log times are often whole seconds, shared by many rows) is completed with
 * `WHERE time = ?`, so the cursor is always a whole time value and no row is lost or read twice. The table and
 * column names are checked against /^[A-Za-z0-9_]+$/ at construction (they cannot be placeholders); every
 * value is a placeholder.
 */
export class QueueLogTableReader {
  private readonly select: string;
  private readonly where: string;
  private readonly order: string;
  private readonly pageSize: number;
  private readonly timeZone: string;

  constructor(
    private readonly db: QueueLogSqlClient,
    options: QueueLogTableOptions = {},
  ) {
    const columns = { ...DEFAULT_COLUMNS, ...options.columns };
    if (columns.data.length < 1 || columns.data.length > 5) {
      throw new RangeError('QueueLogTableReader: columns.data names 1 to 5 columns');
    }
    const q = (name: string): string => {
      if (!IDENTIFIER.test(name)) {
        throw new RangeError(`QueueLogTableReader: "${name}" is not a plain table or column name`);
      }
      return `\`${name}\``;
    };
    this.pageSize = options.pageSize ?? 1000;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1 || this.pageSize > MAX_PAGE) {
      throw new RangeError(`QueueLogTableReader: pageSize must be 1–${MAX_PAGE}`);
    }
    this.timeZone = options.timeZone ?? 'UTC';
    assertTimeZone(this.timeZone);
    const time = q(columns.time);
    const dataAliases = columns.data.length === 1 ? ['data'] : columns.data.map((_, i) => `data${i + 1}`);
    const selected = [
      `CAST(${time} AS CHAR) AS \`time\``,
      `${q(columns.callid)} AS \`callid\``,
      `${q(columns.queuename)} AS \`queuename\``,
      `${q(columns.agent)} AS \`agent\``,
      `${q(columns.event)} AS \`event\``,
      ...columns.data.map((name, i) => `${q(name)} AS \`${dataAliases[i]}\``),
      ...(options.idColumn ? [`${q(options.idColumn)} AS \`id\``] : []),
    ];
    this.select = `SELECT ${selected.join(', ')} FROM ${q(options.table ?? 'queue_log')}`;
    this.where = time;
    this.order = options.idColumn ? `${time}, ${q(options.idColumn)}` : time;
  }

  async read(options: QueueLogTableReadOptions = {}): Promise<QueueLogTableRead> {
    const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
    const records: QueueLogRecord[] = [];
    const skipped: QueueLogSkip[] = [];
    let cursor = options.after ?? null;
    let rows = 0;
    let done = false;
    while (rows < maxRows) {
      const page = await this.page(cursor);
      if (page.length === 0) {
        done = true;
        break;
      }
      let batch = page;
      const full = page.length === this.pageSize;
      if (full) {
        // The page may end inside a time value: take that value whole, on its own.
        const lastTime = page.at(-1)?.time ?? null;
        const cut = page.findIndex((row) => row.time === lastTime);
        batch = [...page.slice(0, cut), ...(await this.rowsAt(lastTime))];
      }
      for (const row of batch) {
        const parsed = parseQueueLogRow(row, { timeZone: this.timeZone });
        if (parsed.ok) records.push(parsed.record);
        else skipped.push(parsed.skip);
      }
      rows += batch.length;
      cursor = batch.at(-1)?.time ?? cursor;
      if (!full) {
        done = true;
        break;
      }
    }
    return { records, skipped, rows, cursor, done };
  }

  private async page(after: string | null): Promise<TableRow[]> {
    // LIMIT is a checked integer written into the statement: MySQL rejects a placeholder there in some modes.
    const [rows] =
      after === null
        ? await this.db.query(
            `${this.select} WHERE ${this.where} IS NOT NULL ORDER BY ${this.order} LIMIT ${this.pageSize}`,
            [],
          )
        : await this.db.query(
            `${this.select} WHERE ${this.where} > ? ORDER BY ${this.order} LIMIT ${this.pageSize}`,
            [after],
          );
    return rows as TableRow[];
  }

  private async rowsAt(time: string | null): Promise<TableRow[]> {
    if (time === null) return [];
    const [rows] = await this.db.query(`${this.select} WHERE ${this.where} = ? ORDER BY ${this.order}`, [
      time,
    ]);
    return rows as TableRow[];
  }
}
