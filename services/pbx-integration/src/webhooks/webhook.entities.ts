import { jsonText } from '@okc/persistence';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A tenant's subscription: these event types, POSTed signed to this URL. */
@Entity({ name: 'webhooks' })
export class Webhook {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 2048 })
  url!: string;

  /** Event types (`call.ended`), or `*` for every event. */
  @Column({ name: 'event_types', type: 'text', transformer: jsonText<string[]>([]) })
  eventTypes!: string[];

  /** The signing secret, sealed (the API shows it once, at creation or rotation). */
  @Column({ name: 'secret_sealed', type: 'text' })
  secretSealed!: string;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  /** Why it was disabled automatically ("10 failed attempts in a row; last: HTTP 500"), null otherwise. */
  @Column({ name: 'disabled_reason', type: 'varchar', length: 512, nullable: true })
  disabledReason!: string | null;

  @Column({ name: 'consecutive_failures', type: 'int' })
  consecutiveFailures!: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One event to one webhook: the delivery log (attempts, last answer), and the retry queue (`pending`). */
@Entity({ name: 'webhook_deliveries' })
export class WebhookDelivery {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId!: string;

  @Column({ name: 'webhook_id', type: 'char', length: 36 })
  webhookId!: string;

  @Column({ name: 'event_id', type: 'char', length: 36 })
  eventId!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType!: string;

  /** The body sent: the event envelope as JSON. */
  @Column({ type: 'mediumtext' })
  payload!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: DeliveryStatus;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'datetime', precision: 3, nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'last_status_code', type: 'int', nullable: true })
  lastStatusCode!: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 512, nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'delivered_at', type: 'datetime', precision: 3, nullable: true })
  deliveredAt!: Date | null;
}
