import {
  DEFAULT_MODE_SETTINGS,
  effectiveMode,
  isTimeZone,
  localTime,
  type ModeSettings,
  nextScheduledChange,
  scheduledMode,
} from './mode-schedule';

/** Moscow is UTC+3 all year: 09:00 there is 06:00Z. */
const office: ModeSettings = {
  timezone: 'Europe/Moscow',
  defaultMode: 'night',
  modes: [
    { name: 'day', daynight: [{ index: 0, value: 'DAY' }] },
    { name: 'night', daynight: [{ index: 0, value: 'NIGHT' }] },
    {
      name: 'holiday',
      daynight: [
        { index: 0, value: 'NIGHT' },
        { index: 1, value: 'NIGHT' },
      ],
    },
    {
      name: 'duty',
      daynight: [
        { index: 0, value: 'DAY' },
        { index: 1, value: 'NIGHT' },
      ],
    },
  ],
  schedule: [
    { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00', mode: 'day' },
    { days: [5], from: '22:00', to: '02:00', mode: 'duty' },
  ],
  holidays: [{ date: '2026-12-31', mode: 'holiday', name: 'New Year’s Eve' }],
};
const at = (iso: string) => new Date(iso);

describe('localTime', () => {
  it('reads the wall clock of the zone', () => {
    // 2026-11-26 is a Thursday.
    expect(localTime(at('2026-11-26T06:30:00Z'), 'Europe/Moscow')).toEqual({
      date: '2026-11-26',
      weekday: 4,
      minute: 9 * 60 + 30,
    });
    expect(localTime(at('2026-11-29T23:30:00Z'), 'Asia/Vladivostok')).toMatchObject({
      date: '2026-11-30',
      weekday: 1,
    });
  });

  it('knows real zones only', () => {
    expect(isTimeZone('Europe/Moscow')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('scheduledMode', () => {
  it.each([
    ['2026-11-26T06:00:00Z', 'day', 'Thursday 09:00 starts the day'],
    ['2026-11-26T05:59:00Z', 'night', 'Thursday 08:59 is before it'],
    ['2026-11-26T14:59:00Z', 'day', 'Thursday 17:59'],
    ['2026-11-26T15:00:00Z', 'night', 'Thursday 18:00 ends it (exclusive)'],
    ['2026-11-28T08:00:00Z', 'night', 'Saturday 11:00: no rule'],
    ['2026-11-27T19:30:00Z', 'duty', 'Friday 22:30: the rule past midnight'],
    ['2026-11-27T22:59:00Z', 'duty', 'Saturday 01:59: its morning after'],
    ['2026-11-27T23:00:00Z', 'night', 'Saturday 02:00: over'],
    ['2026-11-26T22:30:00Z', 'night', 'Friday 01:30: Thursday is not in the rule past midnight'],
  ])('%s → %s (%s)', (iso, mode) => {
    expect(scheduledMode(office, at(iso))).toEqual({ mode, source: 'schedule' });
  });

  it('gives a holiday the whole local day, over the weekly rules', () => {
    // Thursday 2026-12-31 09:00 Moscow would be "day".
    expect(scheduledMode(office, at('2026-12-31T06:00:00Z'))).toEqual({ mode: 'holiday', source: 'holiday' });
    expect(scheduledMode(office, at('2026-12-30T21:00:00Z'))).toEqual({ mode: 'holiday', source: 'holiday' });
    expect(scheduledMode(office, at('2026-12-30T20:59:00Z')).source).toBe('schedule');
  });

  it('follows the wall clock across a daylight-saving change', () => {
    const berlin: ModeSettings = {
      ...office,
      timezone: 'Europe/Berlin',
      schedule: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '09:00', to: '18:00', mode: 'day' }],
      holidays: [],
    };
    // 2026-03-29 the clocks go from 02:00 CET (UTC+1) to 03:00 CEST (UTC+2).
    expect(scheduledMode(berlin, at('2026-03-28T08:00:00Z')).mode).toBe('day'); // 09:00 CET
    expect(scheduledMode(berlin, at('2026-03-28T07:59:00Z')).mode).toBe('night'); // 08:59 CET
    expect(scheduledMode(berlin, at('2026-03-29T07:00:00Z')).mode).toBe('day'); // 09:00 CEST
    expect(scheduledMode(berlin, at('2026-03-29T06:59:00Z')).mode).toBe('night'); // 08:59 CEST
  });

  it('uses the default mode when nothing is scheduled', () => {
    expect(scheduledMode(DEFAULT_MODE_SETTINGS, at('2026-11-26T03:00:00Z'))).toEqual({
      mode: 'day',
      source: 'schedule',
    });
  });
});

describe('effectiveMode', () => {
  it('puts a manual override first until it expires', () => {
    const override = { mode: 'night', until: '2026-11-26T08:00:00Z' };
    expect(effectiveMode(office, override, at('2026-11-26T07:59:59Z'))).toEqual({
      mode: 'night',
      source: 'manual',
    });
    expect(effectiveMode(office, override, at('2026-11-26T08:00:00Z'))).toEqual({
      mode: 'day',
      source: 'schedule',
    });
  });

  it('keeps an override without an end, and holidays yield to it', () => {
    const override = { mode: 'day', until: null };
    expect(effectiveMode(office, override, at('2026-12-31T06:00:00Z'))).toEqual({
      mode: 'day',
      source: 'manual',
    });
    expect(effectiveMode(office, null, at('2026-12-31T06:00:00Z')).source).toBe('holiday');
  });
});

describe('nextScheduledChange', () => {
  it('finds the end of the working day', () => {
    // Thursday 13:00 Moscow → 18:00 Moscow.
    expect(nextScheduledChange(office, at('2026-11-26T10:00:00Z'))?.toISOString()).toBe(
      '2026-11-26T15:00:00.000Z',
    );
  });

  it('goes past the evening duty and the weekend to Monday morning', () => {
    // Saturday 03:00 Moscow: night until Monday 09:00.
    expect(nextScheduledChange(office, at('2026-11-28T00:00:00Z'))?.toISOString()).toBe(
      '2026-11-30T06:00:00.000Z',
    );
    // Friday 19:00 Moscow: night until the duty at 22:00.
    expect(nextScheduledChange(office, at('2026-11-27T16:00:00Z'))?.toISOString()).toBe(
      '2026-11-27T19:00:00.000Z',
    );
  });

  it('answers null for a schedule that never changes', () => {
    expect(nextScheduledChange(DEFAULT_MODE_SETTINGS, at('2026-11-26T10:00:00Z'))).toBeNull();
  });
});
