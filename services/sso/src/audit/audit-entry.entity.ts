import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const AUDIT_TYPES = [
  'sign-in.succeeded',
  'sign-in.failed',
  'account.locked',
  'sign-out',
  'token.issued',
  'consent.granted',
  'consent.denied',
  'tenant.created',
  'tenant.updated',
  'user.created',
  'user.updated',
  'user.deactivated',
  'user.activated',
  'user.password-reset',
  'user.unlocked',
  'client.created',
  'client.updated',
  'client.deactivated',
  'client.secret-rotated',
  'keys.rotated',
] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];

export const ACTOR_TYPES = ['user', 'client', 'system', 'anonymous'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/**
 * Append-only (triggers refuse UPDATE and DELETE): who did what to whom, when, from where, and for admin
 * changes the state before and after. Failed sign-ins of unknown tenants are kept under the tenant typed.
 */
@Entity({ name: 'audit_log' })
@Index('ix_audit_tenant_time', ['tenantId', 'occurredAt'])
@Index('ix_audit_tenant_type_time', ['tenantId', 'type', 'occurredAt'])
@Index('ix_audit_tenant_subject_time', ['tenantId', 'subjectId', 'occurredAt'])
@Index('ix_audit_tenant_actor_time', ['tenantId', 'actorId', 'occurredAt'])
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId!: string;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt!: Date;

  @Column({ type: 'varchar', length: 48 })
  type!: AuditType;

  @Column({ name: 'actor_type', type: 'varchar', length: 16 })
  actorType!: ActorType;

  @Column({ name: 'actor_id', type: 'varchar', length: 128, nullable: true })
  actorId!: string | null;

  /** What a person reading the log recognises: `op1@demo`, a client name. */
  @Column({ name: 'actor_label', type: 'varchar', length: 256, nullable: true })
  actorLabel!: string | null;

  @Column({ name: 'subject_type', type: 'varchar', length: 16, nullable: true })
  subjectType!: string | null;

  @Column({ name: 'subject_id', type: 'varchar', length: 128, nullable: true })
  subjectId!: string | null;

  @Column({ name: 'client_id', type: 'varchar', length: 128, nullable: true })
  clientId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;

  /** Why it failed (`bad-password`, `unknown-user`, `locked`, …) or other short detail. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  reason!: string | null;

  @Column({ name: 'before_state', type: 'mediumtext', nullable: true })
  beforeState!: string | null;

  @Column({ name: 'after_state', type: 'mediumtext', nullable: true })
  afterState!: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;
}
