import type { QueryRunner } from 'typeorm';
import { OUTBOX_LANES } from '../outbox/outbox-message.entity';

/**
 * The outbox, its lanes and the inbox, for a service's first migration:
 *   up:   await createMessagingTables(queryRunner)
 *   down: await dropMessagingTables(queryRunner)
 * Plain SQL that runs the same on MariaDB 10.11 and MySQL 8.4.
 */
export async function createMessagingTables(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE outbox (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
      event_id CHAR(36) NOT NULL,
      tenant_id VARCHAR(64) NOT NULL,
      topic VARCHAR(128) NOT NULL,
      message_key VARCHAR(255) NOT NULL,
      event_type VARCHAR(64) NOT NULL,
      lane SMALLINT UNSIGNED NOT NULL,
      payload MEDIUMTEXT NOT NULL,
      created_at DATETIME(3) NOT NULL,
      sent_at DATETIME(3) NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_outbox_event_id (event_id),
      KEY idx_outbox_pending (sent_at, lane, id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  await queryRunner.query(`
    CREATE TABLE outbox_lane (
      lane SMALLINT UNSIGNED NOT NULL,
      PRIMARY KEY (lane)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  const lanes = Array.from({ length: OUTBOX_LANES }, (_, lane) => `(${lane})`).join(', ');
  await queryRunner.query(`INSERT INTO outbox_lane (lane) VALUES ${lanes}`);
  await queryRunner.query(`
    CREATE TABLE inbox (
      consumer VARCHAR(64) NOT NULL,
      event_id CHAR(36) NOT NULL,
      tenant_id VARCHAR(64) NOT NULL,
      topic VARCHAR(128) NOT NULL,
      event_type VARCHAR(64) NOT NULL,
      received_at DATETIME(3) NOT NULL,
      PRIMARY KEY (consumer, event_id),
      KEY idx_inbox_received (received_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
}

export async function dropMessagingTables(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query('DROP TABLE IF EXISTS inbox');
  await queryRunner.query('DROP TABLE IF EXISTS outbox_lane');
  await queryRunner.query('DROP TABLE IF EXISTS outbox');
}
