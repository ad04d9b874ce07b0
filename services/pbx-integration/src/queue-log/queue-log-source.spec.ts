import { queueLogTimeCursor } from './queue-log-source';

describe('queueLogTimeCursor', () => {
  const ms = Date.parse('2026-03-29T00:30:05.900Z');

  it('writes UNIX seconds for a unix time column', () => {
    expect(queueLogTimeCursor(ms, { timeFormat: 'unix', timeZone: 'UTC' })).toBe(
      String(Math.floor(ms / 1000)),
    );
  });

  it('writes the wall time of the table’s zone for a DATETIME column', () => {
    expect(queueLogTimeCursor(ms, { timeFormat: 'datetime', timeZone: 'UTC' })).toBe('2026-03-29 00:30:05');
    expect(queueLogTimeCursor(ms, { timeFormat: 'datetime', timeZone: 'Europe/Moscow' })).toBe(
      '2026-03-29 03:30:05',
    );
    // Past midnight and across a daylight-saving change (Berlin: +01:00 until 01:00 UTC that night).
    expect(queueLogTimeCursor(ms, { timeFormat: 'datetime', timeZone: 'Europe/Berlin' })).toBe(
      '2026-03-29 01:30:05',
    );
    expect(
      queueLogTimeCursor(Date.parse('2026-03-29T01:30:00Z'), {
        timeFormat: 'datetime',
        timeZone: 'Europe/Berlin',
      }),
    ).toBe('2026-03-29 03:30:00');
  });
});
