import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbound webhooks and their delivery log (which is also the retry queue). */
export class Webhooks1764547500000 implements MigrationInterface {
  name = 'Webhooks1764547500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE webhooks (
      id char(36) NOT NULL,
      tenant_id varchar(64) NOT NULL,
      url varchar(2048) NOT NULL,
      event_types text NOT NULL,
      secret_sealed text NOT NULL,
      enabled tinyint(1) NOT NULL,
      disabled_reason varchar(512) NULL,
      consecutive_failures int NOT NULL,
      created_at datetime(3) NOT NULL,
      updated_at datetime(3) NOT NULL,
      PRIMARY KEY (id),
      KEY ix_webhooks_tenant (tenant_id, enabled)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`CREATE TABLE webhook_deliveries (
      id char(36) NOT NULL,
      tenant_id varchar(64) NOT NULL,
      webhook_id char(36) NOT NULL,
      event_id char(36) NOT NULL,
      event_type varchar(64) NOT NULL,
      payload mediumtext NOT NULL,
      status varchar(16) NOT NULL,
      attempts int NOT NULL,
      next_attempt_at datetime(3) NULL,
      last_status_code int NULL,
      last_error varchar(512) NULL,
      created_at datetime(3) NOT NULL,
      delivered_at datetime(3) NULL,
      PRIMARY KEY (id),
      UNIQUE KEY ux_webhook_deliveries_event (tenant_id, webhook_id, event_id),
      KEY ix_webhook_deliveries_due (status, next_attempt_at),
      KEY ix_webhook_deliveries_log (tenant_id, webhook_id, created_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhooks`);
  }
}
