import { createConnection } from 'mysql2/promise';
import type { QueueLogTableSettings } from '../connections/pbx-connection.entity';
import { readQueueLogFile } from './queue-log-file-reader';
import { formatWallTime, type QueueLogRecord } from './queue-log-parser';
import { QueueLogTableReader } from './queue-log-table-reader';

/** Records of a queue_log from about an instant on, wherever the PBX keeps it. */
export interface QueueLogSource {
  /** For logs and status messages: the file path, or `db-host:port/database.table`. */
  readonly name: string;
  /**
   * The records from `sinceMs` on, with enough before it for the calls going on into it (the importer
   * counts their visits): a file is read whole; a table from `TABLE_LOOKBACK_MS` before.
   */
  read(sinceMs: number): Promise<{ records: QueueLogRecord[]; skipped: number; rows: number }>;
}

/** How far before a gap a table is read: calls that began earlier and go on into it. */
export const TABLE_LOOKBACK_MS = 2 * 60 * 60 * 1000;
const CONNECT_TIMEOUT_MS = 5000;
const QUERY_TIMEOUT_MS = 30_000;

export function queueLogFileSource(path: string): QueueLogSource {
  return {
    name: path,
    async read() {
      const read = await readQueueLogFile(path);
      return { records: read.records, skipped: read.skipped.length, rows: read.lines };
    },
  };
}

/**
 * A queue_log table (Asterisk realtime) on the PBX's database: one short connection per read, made read-only
 * for its session, closed after. The time column is compared in its own format (`timeFormat`, `timeZone`).
 */
export function queueLogTableSource(settings: QueueLogTableSettings, password: string): QueueLogSource {
  return {
    name: `${settings.host}:${settings.port}/${settings.database}.${settings.table}`,
    async read(sinceMs) {
      const connection = await createConnection({
        host: settings.host,
        port: settings.port,
        user: settings.user,
        password,
        database: settings.database,
        connectTimeout: CONNECT_TIMEOUT_MS,
      });
      try {
        await connection.query('SET SESSION TRANSACTION READ ONLY');
        const reader = new QueueLogTableReader(
          {
            query: (sql, values) => connection.query({ sql, values, timeout: QUERY_TIMEOUT_MS }),
          },
          {
            table: settings.table,
            timeZone: settings.timeZone,
            ...(settings.idColumn ? { idColumn: settings.idColumn } : {}),
          },
        );
        const after = queueLogTimeCursor(sinceMs - TABLE_LOOKBACK_MS, settings);
        const read = await reader.read({ after });
        return { records: read.records, skipped: read.skipped.length, rows: read.rows };
      } finally {
        await connection.end().catch(() => connection.destroy());
      }
    },
  };
}

/**
 * An instant as the time column holds it, to compare with (`WHERE time > ?`): UNIX seconds, or the wall time
 * in the table's zone as `YYYY-MM-DD HH:MM:SS` (which MySQL compares rightly with DATETIME and with text).
 */
export function queueLogTimeCursor(
  ms: number,
  settings: Pick<QueueLogTableSettings, 'timeFormat' | 'timeZone'>,
): string {
  if (settings.timeFormat === 'unix') return String(Math.floor(ms / 1000));
  return formatWallTime(ms, settings.timeZone);
}
