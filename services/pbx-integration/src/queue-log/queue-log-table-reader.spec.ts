import { QueueLogTableReader, type QueueLogSqlClient } from './queue-log-table-reader';

/** A client that records the statements it gets and answers nothing. */
function recordingClient(): QueueLogSqlClient & { calls: { sql: string; values: unknown[] }[] } {
  const calls: { sql: string; values: unknown[] }[] = [];
  return {
    calls,
    query(sql: string, values: unknown[]) {
      calls.push({ sql, values });
      return Promise.resolve([[], []]);
    },
  };
}

describe('QueueLogTableReader (statements)', () => {
  it.each([
    ['table', { table: 'queue_log; DROP TABLE x' }],
    ['column', { columns: { agent: 'agent`' } }],
    ['data column', { columns: { data: ['data1', 'd 2'] } }],
    ['id column', { idColumn: 'id)' }],
  ])('refuses a %s name that is not [A-Za-z0-9_]+', (_, options) => {
    expect(() => new QueueLogTableReader(recordingClient(), options)).toThrow(
      /not a plain table or column name/,
    );
  });

  it('refuses a bad page size, data column count or time zone', () => {
    const client = recordingClient();
    expect(() => new QueueLogTableReader(client, { pageSize: 0 })).toThrow(RangeError);
    expect(() => new QueueLogTableReader(client, { columns: { data: [] } })).toThrow(RangeError);
    expect(() => new QueueLogTableReader(client, { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });

  it('passes the cursor as a placeholder value, never in the statement', async () => {
    const client = recordingClient();
    const reader = new QueueLogTableReader(client, {
      table: 'ql',
      columns: { time: 'ts', data: ['payload'] },
      idColumn: 'id',
      pageSize: 50,
    });
    const cursor = "2026-11-25 20:04:29' OR '1'='1";
    const read = await reader.read({ after: cursor });
    expect(read).toEqual({ records: [], skipped: [], rows: 0, cursor, done: true });
    expect(client.calls).toEqual([
      {
        sql:
          'SELECT CAST(`ts` AS CHAR) AS `time`, `callid` AS `callid`, `queuename` AS `queuename`, ' +
          '`agent` AS `agent`, `event` AS `event`, `payload` AS `data`, `id` AS `id` FROM `ql` ' +
          'WHERE `ts` > ? ORDER BY `ts`, `id` LIMIT 50',
        values: [cursor],
      },
    ]);
  });
});
