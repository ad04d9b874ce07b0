import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One event waiting to be published (or already published: `sentAt` set). Written in the same transaction as
 * the domain change that caused it; published by the OutboxRelay. Rows carry the tenant, but the relay reads
 * across tenants by design (it is infrastructure, not a tenant's view).
 */
@Entity({ name: 'outbox' })
@Index('idx_outbox_pending', ['sentAt', 'lane', 'id'])
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  @Column({ name: 'event_id', type: 'char', length: 36, unique: true })
  eventId!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 128 })
  topic!: string;

  @Column({ name: 'message_key', type: 'varchar', length: 255 })
  messageKey!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType!: string;

  /** Ordering lane: hash(key) mod lanes. One relay at a time owns a lane, so one key's events stay in order. */
  @Column({ type: 'smallint', unsigned: true })
  lane!: number;

  /** The validated envelope as JSON text (text, not JSON type: identical on MariaDB and MySQL). */
  @Column({ type: 'mediumtext' })
  payload!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'datetime', precision: 3, nullable: true })
  sentAt!: Date | null;
}

/** One row per lane; relays lock lane rows with `FOR UPDATE SKIP LOCKED` to split the work safely. */
@Entity({ name: 'outbox_lane' })
export class OutboxLane {
  @PrimaryGeneratedColumn({ type: 'smallint', unsigned: true })
  lane!: number;
}

export const OUTBOX_LANES = 16;
