import { createTestDatabase, getTestInfra, type TestDatabase } from '@okc/testing';
import { createPool, type Pool } from 'mysql2/promise';
import { importQueueLog } from './queue-log-importer';
import type { QueueLogRecord } from './queue-log-parser';
import { queueLogTableSource } from './queue-log-source';
import { QueueLogTableReader, type QueueLogTableRead } from './queue-log-table-reader';
import { CONNECTION, TENANT, contractViolations, factKeys } from './testing/queue-log-checks';

/*
 * A queue_log table in the real local MariaDB, in the two shapes met in the wild: Asterisk's realtime schema
 * (id, DATETIME(6) in the PBX's local time, data1..data5), and a hand-made one (other column names, UNIX
 * seconds in an INT, every data field in one column, no id).
 */
type Row = [string, string, string, string, string, string, string, string, string, string];

/** The answered.ami call, as Asterisk's realtime queue_log writes it on a PBX in Europe/Moscow. */
const ANSWERED: Row[] = [
  ['2026-11-25 23:04:29.030653', 'NONE', 'support', 'Agent 101', 'UNPAUSE', '', '', '', '', ''],
  ['2026-11-25 23:04:29.051140', 'NONE', 'support', 'Agent 102', 'UNPAUSE', '', '', '', '', ''],
  [
    '2026-11-25 23:04:29.420500',
    '1795637069.106',
    'support',
    'NONE',
    'ENTERQUEUE',
    '',
    '79160000001',
    '1',
    '',
    '',
  ],
  [
    '2026-11-25 23:04:30.422697',
    '1795637069.106',
    'support',
    'Agent 101',
    'CONNECT',
    '1',
    '1795637069.108',
    '1',
    '',
    '',
  ],
  [
    '2026-11-25 23:04:35.933401',
    '1795637069.106',
    'support',
    'Agent 101',
    'COMPLETEAGENT',
    '1',
    '5',
    '1',
    '',
    '',
  ],
];

const agentMap = new Map([
  ['Agent 101', 'Local/101@agents/n'],
  ['Agent 102', 'Local/102@agents/n'],
]);

async function readAll(reader: QueueLogTableReader, maxRows: number, after: string | null = null) {
  const records: QueueLogRecord[] = [];
  const reads: QueueLogTableRead[] = [];
  let cursor = after;
  for (let i = 0; i < 100; i++) {
    const read = await reader.read({ after: cursor, maxRows });
    reads.push(read);
    records.push(...read.records);
    cursor = read.cursor;
    if (read.done) break;
  }
  return { records, reads, cursor };
}

describe('QueueLogTableReader on MariaDB', () => {
  let database: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    database = await createTestDatabase(await getTestInfra(), 'queue_log');
    pool = createPool({ ...database.config, connectionLimit: 2 });
    await pool.query(`CREATE TABLE queue_log (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      time DATETIME(6) NULL,
      callid VARCHAR(80) NOT NULL DEFAULT '',
      queuename VARCHAR(256) NOT NULL DEFAULT '',
      agent VARCHAR(80) NOT NULL DEFAULT '',
      event VARCHAR(32) NOT NULL DEFAULT '',
      data1 VARCHAR(100) NOT NULL DEFAULT '',
      data2 VARCHAR(100) NOT NULL DEFAULT '',
      data3 VARCHAR(100) NOT NULL DEFAULT '',
      data4 VARCHAR(100) NOT NULL DEFAULT '',
      data5 VARCHAR(100) NOT NULL DEFAULT '',
      KEY by_time (time)
    )`);
    await pool.query(`CREATE TABLE ql_unix (
      ts INT UNSIGNED NOT NULL, uid VARCHAR(80), q VARCHAR(128), member VARCHAR(80), ev VARCHAR(32), payload TEXT
    )`);
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('reads Asterisk’s realtime table in pages, resumes from the cursor, and imports the AMI factKeys', async () => {
    await pool.query(
      'INSERT INTO queue_log (time, callid, queuename, agent, event, data1, data2, data3, data4, data5) VALUES ?',
      [ANSWERED],
    );
    const reader = new QueueLogTableReader(pool, { idColumn: 'id', pageSize: 2, timeZone: 'Europe/Moscow' });
    const { records, reads } = await readAll(reader, 2);
    expect(reads.length).toBeGreaterThan(2); // it really paged
    expect(records.map((r) => r.event)).toEqual([
      'UNPAUSE',
      'UNPAUSE',
      'ENTERQUEUE',
      'CONNECT',
      'COMPLETEAGENT',
    ]);
    expect(records.map((r) => r.rowId)).toEqual(['1', '2', '3', '4', '5']);
    expect(records[2]?.timeMs).toBe(1795637069420); // 23:04:29.4205 Moscow = 20:04:29.420 UTC
    expect(reads.at(-1)?.cursor).toBe('2026-11-25 23:04:35.933401');

    const imported = importQueueLog(records, { tenantId: TENANT, connectionId: CONNECTION, agentMap });
    expect(imported.skipped).toEqual([]);
    expect(contractViolations(imported.facts)).toEqual([]);
    expect(
      factKeys(
        imported.facts,
        'call.started',
        'call.queued',
        'call.left-queue',
        'call.answered',
        'call.ended',
      ),
    ).toEqual([
      '1795637069.106|call.started',
      '1795637069.106|call.queued|1',
      '1795637069.106|call.left-queue|1',
      '1795637069.106|call.answered|1|Local/101@agents/n',
      '1795637069.106|call.ended',
    ]);

    // Rows written later are read from the cursor, the earlier ones not again.
    const cursor = reads.at(-1)?.cursor ?? null;
    await pool.query(
      'INSERT INTO queue_log (time, callid, queuename, agent, event, data1) VALUES (?, ?, ?, ?, ?, ?)',
      ['2026-11-25 23:05:01.476307', 'NONE', 'support', 'Agent 101', 'PAUSE', 'lunch'],
    );
    const more = await reader.read({ after: cursor });
    expect(more.records.map((r) => [r.event, r.data[0], r.rowId])).toEqual([['PAUSE', 'lunch', '6']]);
    expect(more).toMatchObject({ rows: 1, done: true, cursor: '2026-11-25 23:05:01.476307' });
    expect(await reader.read({ after: more.cursor })).toMatchObject({
      rows: 0,
      done: true,
      cursor: more.cursor,
    });
  });

  it('reads a hand-made table of UNIX seconds without an id, never splitting a second across pages', async () => {
    // Seven rows, five of them in second …069: pages of 2 end inside that second.
    const rows = [
      [1795637068, 'NONE', 'NONE', 'NONE', 'QUEUESTART', ''],
      [1795637069, 'NONE', 'support', 'PJSIP/101', 'UNPAUSE', ''],
      [1795637069, 'NONE', 'support', 'PJSIP/102', 'UNPAUSE', ''],
      [1795637069, 'NONE', 'sales', 'PJSIP/103', 'UNPAUSE', ''],
      [1795637069, 'NONE', 'support', 'PJSIP/101', 'PAUSE', 'lunch'],
      [1795637069, 'NONE', 'support', 'PJSIP/102', 'PAUSE', 'lunch'],
      [1795637070, '1795637070.5', 'support', 'NONE', 'BOGUS', '1|2'],
    ];
    await pool.query('INSERT INTO ql_unix (ts, uid, q, member, ev, payload) VALUES ?', [rows]);
    const reader = new QueueLogTableReader(pool, {
      table: 'ql_unix',
      columns: { time: 'ts', callid: 'uid', queuename: 'q', agent: 'member', event: 'ev', data: ['payload'] },
      pageSize: 2,
    });

    const first = await reader.read({ maxRows: 2 });
    // The first page (…068, …069) ends inside …069: the whole second is taken with it.
    expect(first.rows).toBe(6);
    expect(first).toMatchObject({ cursor: '1795637069', done: false });
    const rest = await reader.read({ after: first.cursor });
    expect(rest).toMatchObject({ rows: 1, cursor: '1795637070', done: true });
    expect(rest.skipped).toEqual([{ reason: 'unknown event "BOGUS"' }]);

    const records = [...first.records, ...rest.records];
    expect(records.filter((r) => r.event === 'PAUSE').map((r) => [r.agent, r.data])).toEqual([
      ['PJSIP/101', ['lunch']],
      ['PJSIP/102', ['lunch']],
    ]);
    const imported = importQueueLog(records, { tenantId: TENANT, connectionId: CONNECTION });
    expect(imported.counts.ignored).toEqual({ QUEUESTART: 1 });
    // Without an id, rows of one second come in the database's order: only the order across seconds is
    // promised, so compare as sets.
    expect(new Set(factKeys(imported.facts))).toEqual(
      new Set([
        'acme:PJSIP/101|member.paused|support|false|1795637069000',
        'acme:PJSIP/102|member.paused|support|false|1795637069000',
        'acme:PJSIP/103|member.paused|sales|false|1795637069000',
        'acme:PJSIP/101|member.paused|support|true|1795637069000',
        'acme:PJSIP/102|member.paused|support|true|1795637069000',
      ]),
    );
  });

  it('as a connection’s queue_log source: reads from two hours before the gap, in the table’s own zone', async () => {
    await pool.query('CREATE TABLE queue_log_src LIKE queue_log');
    const old: Row = [
      '2026-11-25 20:00:00.000000',
      'NONE',
      'support',
      'Agent 101',
      'PAUSE',
      'lunch',
      '',
      '',
      '',
      '',
    ];
    await pool.query(
      'INSERT INTO queue_log_src (time, callid, queuename, agent, event, data1, data2, data3, data4, data5) VALUES ?',
      [[old, ...ANSWERED]],
    );
    const settings = {
      host: database.config.host,
      port: database.config.port,
      user: database.config.user,
      database: database.config.database,
      table: 'queue_log_src',
      timeFormat: 'datetime' as const,
      timeZone: 'Europe/Moscow',
      idColumn: 'id',
    };
    const source = queueLogTableSource(settings, database.config.password);
    expect(source.name).toBe(`${settings.host}:${settings.port}/${settings.database}.queue_log_src`);
    // The gap began at 20:04:30 UTC (23:04:30 in Moscow): rows from 21:04:30 Moscow on; the 20:00 PAUSE is older.
    const read = await source.read(Date.parse('2026-11-25T20:04:30Z'));
    expect(read.records.map((r) => r.event)).toEqual([
      'UNPAUSE',
      'UNPAUSE',
      'ENTERQUEUE',
      'CONNECT',
      'COMPLETEAGENT',
    ]);
    expect(read.rows).toBe(5);

    const refused = queueLogTableSource(settings, `${database.config.password}-wrong`);
    await expect(refused.read(Date.parse('2026-11-25T20:04:30Z'))).rejects.toThrow(/Access denied/);
  });
});
