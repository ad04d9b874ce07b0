/**
 * Which operating mode a tenant is in at a given instant: a pure function of its settings, its manual
 * override and the time. Precedence: a manual override that has not expired, then a holiday (the whole
 * local day), then the first weekly rule that covers the local time, then the default mode. Local time is
 * the tenant's IANA time zone, so daylight-saving changes move the wall clock, not the rules.
 */

export const DAYNIGHT_VALUES = ['DAY', 'NIGHT'] as const;
export type DaynightValue = (typeof DAYNIGHT_VALUES)[number];

/** A named mode and how FreePBX's day/night toggles are set in it (`DAYNIGHT/C<index>`). */
export interface ModeDefinition {
  readonly name: string;
  readonly daynight: readonly { readonly index: number; readonly value: DaynightValue }[];
}

/** Days 1 (Monday) … 7 (Sunday); `from` inclusive, `to` exclusive, `HH:MM`; `to` ≤ `from` runs past midnight. */
export interface ScheduleRule {
  readonly days: readonly number[];
  readonly from: string;
  readonly to: string;
  readonly mode: string;
}

export interface Holiday {
  /** `YYYY-MM-DD` in the tenant's time zone. */
  readonly date: string;
  readonly mode: string;
  readonly name: string;
}

export interface ModeSettings {
  readonly timezone: string;
  readonly defaultMode: string;
  readonly modes: readonly ModeDefinition[];
  readonly schedule: readonly ScheduleRule[];
  readonly holidays: readonly Holiday[];
}

export interface ModeOverride {
  readonly mode: string;
  /** When it ends by itself (ISO); null: never (only another switch or its removal ends it). */
  readonly until: string | null;
}

export type ModeSource = 'schedule' | 'manual' | 'holiday';

export interface EffectiveMode {
  readonly mode: string;
  readonly source: ModeSource;
}

/** The settings of a tenant nobody has configured: day and night on toggle 0, always day. */
export const DEFAULT_MODE_SETTINGS: ModeSettings = {
  timezone: 'Europe/Moscow',
  defaultMode: 'day',
  modes: [
    { name: 'day', daynight: [{ index: 0, value: 'DAY' }] },
    { name: 'night', daynight: [{ index: 0, value: 'NIGHT' }] },
  ],
  schedule: [],
  holidays: [],
};

interface LocalTime {
  /** `YYYY-MM-DD` */
  readonly date: string;
  /** 1 = Monday … 7 = Sunday */
  readonly weekday: number;
  /** minutes since local midnight */
  readonly minute: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** Whether `timezone` is an IANA zone this runtime knows. */
export function isTimeZone(timezone: string): boolean {
  try {
    formatterFor(timezone);
    return true;
  } catch {
    return false;
  }
}

export function localTime(at: Date, timezone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timezone).formatToParts(at)) parts[part.type] = part.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 1,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

export const minuteOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether a weekly rule covers a local time (a rule past midnight covers the early hours of the next day). */
export function ruleCovers(rule: ScheduleRule, local: LocalTime): boolean {
  const from = minuteOf(rule.from);
  const to = minuteOf(rule.to);
  if (from < to) return rule.days.includes(local.weekday) && local.minute >= from && local.minute < to;
  // Past midnight: the evening of a listed day, or the morning after it.
  const previousDay = local.weekday === 1 ? 7 : local.weekday - 1;
  return (
    (rule.days.includes(local.weekday) && local.minute >= from) ||
    (rule.days.includes(previousDay) && local.minute < to)
  );
}

/** The mode the schedule alone gives (holidays and weekly rules), without any override. */
export function scheduledMode(settings: ModeSettings, at: Date): EffectiveMode {
  const local = localTime(at, settings.timezone);
  const holiday = settings.holidays.find((h) => h.date === local.date);
  if (holiday) return { mode: holiday.mode, source: 'holiday' };
  const rule = settings.schedule.find((r) => ruleCovers(r, local));
  return { mode: rule?.mode ?? settings.defaultMode, source: 'schedule' };
}

/** Whether an override still applies at `at`. */
export function overrideActive(override: ModeOverride | null, at: Date): override is ModeOverride {
  return override !== null && (override.until === null || Date.parse(override.until) > at.getTime());
}

export function effectiveMode(
  settings: ModeSettings,
  override: ModeOverride | null,
  at: Date,
): EffectiveMode {
  if (overrideActive(override, at)) return { mode: override.mode, source: 'manual' };
  return scheduledMode(settings, at);
}

/**
 * The first minute after `after` at which the schedule gives another mode, or null when it never changes
 * within `horizonDays` (a manual switch "until the next scheduled change" then has no end). Walks the
 * timeline a minute at a time: at most a week and a day of minutes, done once per manual switch.
 */
export function nextScheduledChange(settings: ModeSettings, after: Date, horizonDays = 8): Date | null {
  const start = scheduledMode(settings, after).mode;
  const first = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
  const last = after.getTime() + horizonDays * 86_400_000;
  for (let t = first; t <= last; t += 60_000) {
    const at = new Date(t);
    if (scheduledMode(settings, at).mode !== start) return at;
  }
  return null;
}
