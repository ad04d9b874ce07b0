import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { strictObject } from '@okc/runtime';
import { z } from 'zod';
import { DAYNIGHT_VALUES, isTimeZone, type ModeSettings } from './mode-schedule';

const modeName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a mode name is 1–64 of a-z, 0-9, "-", "_" (day, night, holiday)');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM, 00:00–23:59');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'not a calendar date',
  );

const modeDefinition = strictObject({
  name: modeName,
  daynight: z
    .array(
      strictObject({
        index: z.number().int().min(0).max(9).describe('FreePBX day/night toggle: `DAYNIGHT/C<index>`.'),
        value: z.enum(DAYNIGHT_VALUES),
      }),
    )
    .min(1)
    .max(10)
    .refine((items) => new Set(items.map((i) => i.index)).size === items.length, 'each toggle at most once'),
});

const scheduleRule = strictObject({
  days: z
    .array(z.number().int().min(1).max(7))
    .min(1)
    .max(7)
    .refine((days) => new Set(days).size === days.length, 'each day at most once')
    .describe('1 = Monday … 7 = Sunday.'),
  from: hhmm,
  to: hhmm.describe('Exclusive; earlier than `from` runs past midnight.'),
  mode: modeName,
}).refine((rule) => rule.from !== rule.to, { message: '`from` and `to` must differ', path: ['to'] });

export const modeSettingsSchema = strictObject({
  timezone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Moscow'),
  defaultMode: modeName.describe('When no rule, holiday or override applies.'),
  modes: z.array(modeDefinition).min(1).max(20),
  schedule: z.array(scheduleRule).max(100).default([]).describe('The first rule that covers the time wins.'),
  holidays: z
    .array(strictObject({ date: isoDate, mode: modeName, name: z.string().trim().min(1).max(128) }))
    .max(400)
    .default([]),
}).superRefine((settings, ctx) => {
  const names = new Set<string>();
  settings.modes.forEach((mode, i) => {
    if (names.has(mode.name))
      ctx.addIssue({
        code: 'custom',
        path: ['modes', i, 'name'],
        message: 'a mode of that name already exists',
      });
    names.add(mode.name);
  });
  const known = (name: string, path: (string | number)[]) => {
    if (!names.has(name)) ctx.addIssue({ code: 'custom', path, message: `no mode named "${name}" in modes` });
  };
  known(settings.defaultMode, ['defaultMode']);
  settings.schedule.forEach((rule, i) => known(rule.mode, ['schedule', i, 'mode']));
  const dates = new Set<string>();
  settings.holidays.forEach((holiday, i) => {
    known(holiday.mode, ['holidays', i, 'mode']);
    if (dates.has(holiday.date))
      ctx.addIssue({ code: 'custom', path: ['holidays', i, 'date'], message: 'that date is listed twice' });
    dates.add(holiday.date);
  });
});
export type ModeSettingsInput = z.infer<typeof modeSettingsSchema>;

export const overrideSchema = strictObject({
  mode: modeName,
  until: z.iso
    .datetime({ offset: true })
    .nullable()
    .optional()
    .describe(
      'When the switch ends by itself. Omitted: at the next scheduled change. null: only when removed.',
    ),
});
export type OverrideInput = z.infer<typeof overrideSchema>;

export class ModeOverrideDto {
  @ApiProperty({ example: 'night' })
  mode!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  until!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'supervisor@demo' })
  setBy!: string | null;

  @ApiProperty({ format: 'date-time' })
  setAt!: string;
}

export class ModeApplyResultDto {
  @ApiProperty({ format: 'uuid' })
  connectionId!: string;

  @ApiProperty({ example: 'night' })
  mode!: string;

  @ApiProperty({ description: 'The PBX read back what was set.' })
  applied!: boolean;

  @ApiProperty({ example: { C0: 'NIGHT' }, description: 'What DBGet DAYNIGHT/C<n> answered.' })
  readBack!: Record<string, string | null>;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class CurrentModeDto {
  @ApiProperty({ example: 'day' })
  mode!: string;

  @ApiProperty({ enum: ['schedule', 'manual', 'holiday', 'override-expired'] })
  source!: string;

  @ApiProperty({ format: 'date-time' })
  since!: string;

  @ApiPropertyOptional({ type: ModeOverrideDto, nullable: true })
  override!: ModeOverrideDto | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the schedule next changes the mode.',
  })
  nextChangeAt!: string | null;

  @ApiProperty({
    type: [ModeApplyResultDto],
    description: 'The last push of the mode to each connected PBX.',
  })
  pbx!: ModeApplyResultDto[];
}

export class ModesDto {
  @ApiProperty({ description: 'The settings (modes, weekly schedule, holidays, time zone).' })
  settings!: ModeSettings;

  @ApiProperty({ type: CurrentModeDto })
  current!: CurrentModeDto;
}

export class AuditEntryDto {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ example: 'supervisor@demo' })
  actor!: string;

  @ApiProperty({ example: 'mode.switched' })
  action!: string;

  @ApiProperty()
  details!: Record<string, unknown>;
}

export class AuditListDto {
  @ApiProperty({ type: [AuditEntryDto] })
  items!: AuditEntryDto[];
}
