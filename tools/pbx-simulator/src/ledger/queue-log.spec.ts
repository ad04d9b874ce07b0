import { parseQueueLogLine, QueueLog } from './queue-log';

describe('queue_log', () => {
  it('writes Asterisk’s UNIXTIME|CALLID|QUEUE|AGENT|EVENT|data line and parses it back', () => {
    const log = new QueueLog(() => 1366720340);
    log.write('MYQUEUE', '1366720340.303267', 'SIP/8007', 'RINGNOANSWER', [1000]);
    log.write('support', 'NONE', 'Agent 101', 'PAUSE', ['lunch']);
    expect(log.lines()).toEqual([
      '1366720340|1366720340.303267|MYQUEUE|SIP/8007|RINGNOANSWER|1000',
      '1366720340|NONE|support|Agent 101|PAUSE|lunch',
    ]);
    expect(parseQueueLogLine(log.lines()[0]!)).toEqual({
      time: 1366720340,
      callId: '1366720340.303267',
      queue: 'MYQUEUE',
      agent: 'SIP/8007',
      event: 'RINGNOANSWER',
      data: ['1000'],
    });
  });

  it('keeps empty data fields (ENTERQUEUE has an empty URL first)', () => {
    const line = parseQueueLogLine('1795637069|1795637069.106|support|NONE|ENTERQUEUE||79160000001|1');
    expect(line.data).toEqual(['', '79160000001', '1']);
  });

  it('refuses what is not a queue_log line', () => {
    expect(() => parseQueueLogLine('hello')).toThrow(/not a queue_log line/);
  });
});
