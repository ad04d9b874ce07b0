import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { atLeastOneField, strictObject } from '@okc/runtime';
import { z } from 'zod';
import { isTimeZone } from '../modes/mode-schedule';
import { CONNECTION_STATES, type ConnectionStatus } from './connection-status';
import { CONNECTION_TYPES, type PbxConnection } from './pbx-connection.entity';

const HOST =
  /^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])$/;
/** A channel glob or a context name: printable, no spaces. */
const ruleItem = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[^\s]+$/, 'no spaces');

export const directionRulesSchema = strictObject({
  trunkChannelPatterns: z
    .array(ruleItem)
    .max(50)
    .default([])
    .describe('Globs of trunk channel names (`PJSIP/trunk-*`): a call from one is inbound, to one outbound.'),
  inboundContexts: z
    .array(ruleItem)
    .max(50)
    .default([])
    .describe('Dialplan contexts calls from outside enter at (`from-trunk`, `from-pstn`).'),
  outboundContexts: z
    .array(ruleItem)
    .max(50)
    .default([])
    .describe('Contexts that dial out to a trunk (`outbound-allroutes`).'),
});

const nameSchema = z.string().trim().min(1).max(128).describe('Shown to admins: "Main Asterisk".');
const hostSchema = z
  .string()
  .trim()
  .max(253)
  .regex(HOST, 'a host name or an IP address')
  .describe('AMI host.');
const portSchema = z.number().int().min(1).max(65535).describe('AMI port (Asterisk: 5038).');
const usernameSchema = z.string().trim().min(1).max(128).describe('The manager.conf user.');
const secretSchema = z
  .string()
  .min(1)
  .max(256)
  .describe('The manager.conf secret. Write-only: stored encrypted, never returned.');

const queueLogPathSchema = z
  .string()
  .min(2)
  .max(1024)
  .regex(/^\/[^\0]*$/, 'an absolute path')
  .describe(
    'The PBX’s queue_log as this service sees it (e.g. a mounted /var/log/asterisk/queue_log): after a ' +
      'disconnect the queue facts of the gap are rebuilt from it.',
  );

const identifier = z
  .string()
  .regex(/^[A-Za-z0-9_]{1,64}$/, 'a plain table or column name (letters, digits, _)');

export const queueLogTableSchema = strictObject({
  host: hostSchema.describe('The database server holding the queue_log table.'),
  port: z.number().int().min(1).max(65535).default(3306),
  user: z.string().trim().min(1).max(128).describe('A user that may only SELECT from the table.'),
  password: z
    .string()
    .max(256)
    .optional()
    .describe('Write-only: stored encrypted, never returned. Left out on an update: the stored one is kept.'),
  database: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[^\s`]+$/, 'a database name'),
  table: identifier.default('queue_log'),
  timeFormat: z
    .enum(['datetime', 'unix'])
    .default('datetime')
    .describe('How the time column is written: DATETIME or `YYYY-MM-DD HH:MM:SS` text, or UNIX seconds.'),
  timeZone: z
    .string()
    .default('UTC')
    .refine(isTimeZone, 'an IANA time zone (Europe/Moscow)')
    .describe('The zone Asterisk writes DATETIME times in (its own).'),
  idColumn: identifier.nullable().default('id').describe('An ever-increasing id column, or null.'),
}).describe(
  'The PBX’s queue_log as a database table (Asterisk realtime queue_log): after a disconnect the queue facts ' +
    'of the gap are rebuilt from it. Instead of queueLogPath.',
);
export type QueueLogTableInput = z.infer<typeof queueLogTableSchema>;

const oneQueueLog = (v: { queueLogPath?: string | null; queueLogTable?: unknown }) =>
  !(v.queueLogPath && v.queueLogTable);
const oneQueueLogMessage = {
  message: 'give queueLogPath or queueLogTable, not both',
  path: ['queueLogTable'],
};

export const createConnectionSchema = strictObject({
  name: nameSchema,
  type: z.enum(CONNECTION_TYPES).default('asterisk-ami'),
  host: hostSchema,
  port: portSchema.default(5038),
  username: usernameSchema,
  secret: secretSchema,
  directionRules: directionRulesSchema.default({
    trunkChannelPatterns: [],
    inboundContexts: [],
    outboundContexts: [],
  }),
  queueLogPath: queueLogPathSchema.nullable().default(null),
  queueLogTable: queueLogTableSchema.nullable().default(null),
  enabled: z.boolean().default(true),
}).refine(oneQueueLog, oneQueueLogMessage);
export type CreateConnectionInput = z.infer<typeof createConnectionSchema>;

export const updateConnectionSchema = strictObject({
  name: nameSchema.optional(),
  host: hostSchema.optional(),
  port: portSchema.optional(),
  username: usernameSchema.optional(),
  secret: secretSchema.optional(),
  directionRules: directionRulesSchema.optional(),
  queueLogPath: queueLogPathSchema.nullable().optional(),
  queueLogTable: queueLogTableSchema.nullable().optional(),
  enabled: z.boolean().optional(),
})
  .refine(atLeastOneField, 'nothing to change: name at least one field')
  .refine(oneQueueLog, oneQueueLogMessage);
export type UpdateConnectionInput = z.infer<typeof updateConnectionSchema>;

export const connectionIdParamsSchema = strictObject({ id: z.guid('a connection id is a UUID') });

export class DirectionRulesDto {
  @ApiProperty({ type: [String], example: ['PJSIP/trunk-*'] })
  trunkChannelPatterns!: string[];

  @ApiProperty({ type: [String], example: ['from-trunk'] })
  inboundContexts!: string[];

  @ApiProperty({ type: [String], example: ['outbound-allroutes'] })
  outboundContexts!: string[];
}

export class QueueLogTableDto {
  @ApiProperty({ example: 'pbx-db.clinic.local' })
  host!: string;

  @ApiProperty({ example: 3306 })
  port!: number;

  @ApiProperty({ example: 'okc_reader' })
  user!: string;

  @ApiProperty({ description: 'Whether a password is stored (it is never returned).' })
  hasPassword!: boolean;

  @ApiProperty({ example: 'asterisk' })
  database!: string;

  @ApiProperty({ example: 'queue_log' })
  table!: string;

  @ApiProperty({ enum: ['datetime', 'unix'] })
  timeFormat!: 'datetime' | 'unix';

  @ApiProperty({ example: 'Europe/Moscow' })
  timeZone!: string;

  @ApiProperty({ type: String, nullable: true, example: 'id' })
  idColumn!: string | null;
}

export class ConnectionErrorDto {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ example: 'Authentication failed: check the username and secret' })
  message!: string;
}

export class ConnectionStatusDto {
  @ApiProperty({ enum: CONNECTION_STATES })
  state!: ConnectionStatus['state'];

  @ApiProperty()
  authenticated!: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastEventAt!: string | null;

  @ApiProperty({ description: 'Events read per second over the last 10 s.' })
  eventsPerSecond!: number;

  @ApiProperty({ description: 'Errors since this instance started.' })
  errors!: number;

  @ApiPropertyOptional({ type: ConnectionErrorDto, nullable: true })
  lastError!: ConnectionErrorDto | null;
}

export class ConnectionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Main Asterisk' })
  name!: string;

  @ApiProperty({ enum: CONNECTION_TYPES })
  type!: string;

  @ApiProperty({ example: 'pbx.clinic.local' })
  host!: string;

  @ApiProperty({ example: 5038 })
  port!: number;

  @ApiProperty({ example: 'okc' })
  username!: string;

  @ApiProperty({ description: 'Whether a secret is stored (it is never returned).' })
  hasSecret!: boolean;

  @ApiProperty({ type: DirectionRulesDto })
  directionRules!: DirectionRulesDto;

  @ApiProperty({ type: String, nullable: true, example: '/var/log/asterisk/queue_log' })
  queueLogPath!: string | null;

  @ApiProperty({ type: QueueLogTableDto, nullable: true })
  queueLogTable!: QueueLogTableDto | null;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ type: ConnectionStatusDto })
  status!: ConnectionStatusDto;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class ConnectionListDto {
  @ApiProperty({ type: [ConnectionDto] })
  items!: ConnectionDto[];
}

export function toConnectionDto(connection: PbxConnection, status: ConnectionStatus): ConnectionDto {
  return {
    id: connection.id,
    name: connection.name,
    type: connection.type,
    host: connection.host,
    port: connection.port,
    username: connection.username,
    hasSecret: connection.secretSealed.length > 0,
    directionRules: {
      trunkChannelPatterns: [...connection.directionRules.trunkChannelPatterns],
      inboundContexts: [...connection.directionRules.inboundContexts],
      outboundContexts: [...connection.directionRules.outboundContexts],
    },
    queueLogPath: connection.queueLogPath,
    queueLogTable: connection.queueLogTable
      ? { ...connection.queueLogTable, hasPassword: Boolean(connection.queueLogSecretSealed) }
      : null,
    enabled: connection.enabled,
    status,
    createdAt: connection.createdAt.toISOString(),
    updatedAt: connection.updatedAt.toISOString(),
  };
}
