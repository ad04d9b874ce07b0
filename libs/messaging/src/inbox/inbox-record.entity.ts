import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per event a consumer has applied. The primary key `(consumer, event_id)` is what makes delivery
 * idempotent: the row is inserted in the same transaction as the handler's effects, so a duplicate delivery
 * (a relay re-send, a rebalance, a concurrent copy) fails the insert and is skipped.
 */
@Entity({ name: 'inbox' })
export class InboxRecord {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  consumer!: string;

  @PrimaryColumn({ name: 'event_id', type: 'char', length: 36 })
  eventId!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 128 })
  topic!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType!: string;

  @Column({ name: 'received_at', type: 'datetime', precision: 3 })
  receivedAt!: Date;
}
