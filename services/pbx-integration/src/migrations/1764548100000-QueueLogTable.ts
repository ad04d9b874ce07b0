import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A connection's queue_log as a database table (Asterisk realtime queue_log): settings and sealed password. */
export class QueueLogTable1764548100000 implements MigrationInterface {
  name = 'QueueLogTable1764548100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE pbx_connections
         ADD COLUMN queue_log_table text NULL AFTER queue_log_path,
         ADD COLUMN queue_log_secret_sealed text NULL AFTER queue_log_table`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE pbx_connections DROP COLUMN queue_log_table, DROP COLUMN queue_log_secret_sealed`,
    );
  }
}
