import { importQueueLog } from './queue-log-importer';
import { parseQueueLog, parseQueueLogLine, parseQueueLogRow, type QueueLogParse } from './queue-log-parser';

function record(parsed: QueueLogParse) {
  if (!parsed.ok) throw new Error(`not parsed: ${parsed.skip.reason}`);
  return parsed.record;
}

function reason(parsed: QueueLogParse): string {
  if (parsed.ok) throw new Error('parsed, expected a skip');
  return parsed.skip.reason;
}

describe('parseQueueLogLine', () => {
  it('reads the documented example into a typed record', () => {
    expect(
      record(parseQueueLogLine('1366720340|1366720340.303267|MYQUEUE|SIP/8007|RINGNOANSWER|1000', 7)),
    ).toEqual({
      timeMs: 1366720340000,
      callId: '1366720340.303267',
      queue: 'MYQUEUE',
      agent: 'SIP/8007',
      event: 'RINGNOANSWER',
      data: ['1000'],
      line: 7,
    });
  });

  it('keeps empty data fields in place and drops a trailing \\r', () => {
    expect(record(parseQueueLogLine('1366720340|1.1|q|NONE|ENTERQUEUE||79160000001|1\r')).data).toEqual([
      '',
      '79160000001',
      '1',
    ]);
  });

  it('reads a fractional UNIX time to the millisecond', () => {
    expect(record(parseQueueLogLine('1366720340.123456|NONE|q|SIP/1|PAUSE|')).timeMs).toBe(1366720340123);
  });

  it.each([
    ['1366720340|1.1|q|NONE', 'expected at least 5 fields (UNIXTIME|CALLID|QUEUE|AGENT|EVENT), got 4'],
    ['yesterday|1.1|q|NONE|ENTERQUEUE||1|1', 'time "yesterday" is not a UNIX time'],
    ['-5|1.1|q|NONE|ENTERQUEUE||1|1', 'time "-5" is not a UNIX time'],
    ['1366720340|1.1|q|NONE|TELEPORT|1', 'unknown event "TELEPORT"'],
    ['1366720340|1.1|q|NONE||1', 'unknown event ""'],
    ['1366720340|1.1|q|NONE|ABANDON|1|1', 'ABANDON needs at least 3 data field(s), got 2'],
    ['1366720340|1.1|q|SIP/1|COMPLETEAGENT|5', 'COMPLETEAGENT needs at least 2 data field(s), got 1'],
    ['   ', 'empty line'],
  ])('rejects %j: %s', (line, why) => {
    expect(reason(parseQueueLogLine(line))).toBe(why);
  });
});

describe('parseQueueLog', () => {
  it('numbers lines, reports bad ones by line and never throws', () => {
    const text = [
      '1366720340|1.1|q|NONE|ENTERQUEUE||79160000001|1',
      'garbage',
      '1366720341|1.1|q|SIP/1|CONNECT|1|1.2|1',
      'x|1.1|q|SIP/1|CONNECT|1|1.2|1',
      '1366720342|1.1|q|SIP/1|BOGUS|',
      '',
    ].join('\n');
    const { records, skipped } = parseQueueLog(text, 10);
    expect(records.map((r) => [r.line, r.event])).toEqual([
      [10, 'ENTERQUEUE'],
      [12, 'CONNECT'],
    ]);
    expect(skipped).toEqual([
      { line: 11, reason: 'expected at least 5 fields (UNIXTIME|CALLID|QUEUE|AGENT|EVENT), got 1' },
      { line: 13, reason: 'time "x" is not a UNIX time' },
      { line: 14, reason: 'unknown event "BOGUS"' },
    ]);
    // Bad lines do not stop the import of the good ones.
    const imported = importQueueLog(records, { tenantId: 'acme', connectionId: 'pbx-1' });
    expect(imported.facts.map((f) => f.type)).toEqual([
      'call.started',
      'call.queued',
      'call.left-queue',
      'call.answered',
    ]);
  });
});

describe('parseQueueLogRow', () => {
  const row = {
    time: '1795637069',
    callid: '1795637069.106',
    queuename: 'support',
    agent: 'NONE',
    event: 'ENTERQUEUE',
    data1: '',
    data2: '79160000001',
    data3: '1',
    data4: '',
    data5: '',
    id: 42,
  };

  it('reads data1..data5 (unused trailing ones dropped) and the row id', () => {
    expect(record(parseQueueLogRow(row))).toEqual({
      timeMs: 1795637069000,
      callId: '1795637069.106',
      queue: 'support',
      agent: 'NONE',
      event: 'ENTERQUEUE',
      data: ['', '79160000001', '1'],
      rowId: '42',
    });
  });

  it('splits fields beyond the fifth out of data5, and a single joined data column', () => {
    const link = {
      ...row,
      agent: 'Agent 101',
      event: 'ATTENDEDTRANSFER',
      data1: 'LINK',
      data2: 'PJSIP/300-0000001a',
      data3: 'Local/300@ext-00000002;1',
      data4: '4',
      data5: '15|1',
    };
    expect(record(parseQueueLogRow(link)).data).toEqual([
      'LINK',
      'PJSIP/300-0000001a',
      'Local/300@ext-00000002;1',
      '4',
      '15',
      '1',
    ]);
    const joined = {
      time: 1795637070,
      callid: '1.1',
      queuename: 'q',
      agent: 'SIP/1',
      event: 'connect',
      data: '1|1.2|3',
    };
    expect(record(parseQueueLogRow(joined))).toMatchObject({ event: 'CONNECT', data: ['1', '1.2', '3'] });
  });

  it('reads DATETIME text in the given zone, Dates and Buffers', () => {
    const text = { ...row, time: '2026-11-25 23:04:29.420500' };
    expect(record(parseQueueLogRow(text, { timeZone: 'Europe/Moscow' })).timeMs).toBe(1795637069420);
    expect(record(parseQueueLogRow(text)).timeMs).toBe(1795637069420 + 3 * 3600_000); // read as UTC
    const date = { ...row, time: new Date(1795637069420), callid: Buffer.from('1795637069.106') };
    expect(record(parseQueueLogRow(date))).toMatchObject({ timeMs: 1795637069420, callId: '1795637069.106' });
  });

  it('follows daylight saving time in a zone that has it', () => {
    const winter = { ...row, time: '2026-01-15 12:00:00' };
    const summer = { ...row, time: '2026-07-15 12:00:00' };
    expect(
      new Date(record(parseQueueLogRow(winter, { timeZone: 'Europe/Berlin' })).timeMs).toISOString(),
    ).toBe('2026-01-15T11:00:00.000Z');
    expect(
      new Date(record(parseQueueLogRow(summer, { timeZone: 'Europe/Berlin' })).timeMs).toISOString(),
    ).toBe('2026-07-15T10:00:00.000Z');
  });

  it('reports bad rows with their id', () => {
    expect(parseQueueLogRow({ ...row, time: null })).toEqual({
      ok: false,
      skip: { rowId: '42', reason: 'time "" is not a time' },
    });
    expect(reason(parseQueueLogRow({ ...row, event: 'NOPE' }))).toBe('unknown event "NOPE"');
    expect(reason(parseQueueLogRow({ ...row, agent: { name: 'x' } }))).toBe(
      'callid, queuename, agent and event must be text',
    );
    expect(reason(parseQueueLogRow({ ...row, time: '25/11/2026' }))).toBe('time "25/11/2026" is not a time');
  });
});
