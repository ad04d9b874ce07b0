import { strictObject } from '@okc/runtime';
import { ApiProperty } from '@nestjs/swagger';
import { z } from 'zod';
import { limitSchema } from '../admin/admin-http';
import {
  ACTOR_TYPES,
  type ActorType,
  AUDIT_TYPES,
  type AuditEntry,
  type AuditType,
} from './audit-entry.entity';

const isoDateTime = z.iso
  .datetime({ offset: true, error: 'an ISO 8601 date-time, e.g. 2025-11-27T09:00:00Z' })
  .transform((value) => new Date(value));

export const auditQuerySchema = strictObject({
  userId: z
    .string()
    .regex(/^[A-Za-z0-9._~@-]{1,128}$/, 'a user or client id')
    .optional()
    .describe('Entries where this user (or client) is the actor or the subject.'),
  type: z.enum(AUDIT_TYPES).optional(),
  from: isoDateTime.optional().describe('Inclusive.'),
  to: isoDateTime.optional().describe('Exclusive.'),
  limit: limitSchema,
  before: z
    .string()
    .regex(/^\d{1,20}$/, 'the nextCursor of the previous page')
    .optional()
    .describe('The `nextCursor` of the previous page: entries older than it.'),
}).superRefine((q, ctx) => {
  if (q.from && q.to && q.from.getTime() >= q.to.getTime()) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must be after `from`' });
  }
});
export type AuditQueryInput = z.infer<typeof auditQuerySchema>;

export class AuditActorDto {
  @ApiProperty({ enum: ACTOR_TYPES })
  type!: ActorType;

  @ApiProperty({ type: String, nullable: true, description: 'User id (sub) or client id.' })
  id!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'admin@demo' })
  label!: string | null;
}

export class AuditSubjectDto {
  @ApiProperty({ example: 'user', description: '`user`, `client`, `tenant`, `keys`.' })
  type!: string;

  @ApiProperty()
  id!: string;
}

export class AuditEntryDto {
  @ApiProperty({ example: '1042' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({ enum: AUDIT_TYPES })
  type!: AuditType;

  @ApiProperty({ type: AuditActorDto })
  actor!: AuditActorDto;

  @ApiProperty({ type: AuditSubjectDto, nullable: true })
  subject!: AuditSubjectDto | null;

  @ApiProperty({ type: String, nullable: true, description: 'The OIDC client involved.' })
  clientId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  ip!: string | null;

  @ApiProperty({ type: String, nullable: true })
  userAgent!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'bad-password' })
  reason!: string | null;

  @ApiProperty({ type: Object, nullable: true, description: 'State before an admin change.' })
  before!: unknown;

  @ApiProperty({ type: Object, nullable: true, description: 'State after an admin change.' })
  after!: unknown;

  @ApiProperty({ type: String, nullable: true })
  requestId!: string | null;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto], description: 'Newest first.' })
  items!: AuditEntryDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `before` for the next page; null at the end.',
  })
  nextCursor!: string | null;
}

function parseState(value: string | null): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

export function toAuditEntryDto(entry: AuditEntry): AuditEntryDto {
  return {
    id: String(entry.id),
    occurredAt: entry.occurredAt.toISOString(),
    type: entry.type,
    actor: { type: entry.actorType, id: entry.actorId, label: entry.actorLabel },
    subject: entry.subjectType && entry.subjectId ? { type: entry.subjectType, id: entry.subjectId } : null,
    clientId: entry.clientId,
    ip: entry.ip,
    userAgent: entry.userAgent,
    reason: entry.reason,
    before: parseState(entry.beforeState),
    after: parseState(entry.afterState),
    requestId: entry.requestId,
  };
}
