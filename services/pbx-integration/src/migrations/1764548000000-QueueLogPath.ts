import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Where a connection's Asterisk queue_log can be read, for backfill after a disconnect. */
export class QueueLogPath1764548000000 implements MigrationInterface {
  name = 'QueueLogPath1764548000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE pbx_connections ADD COLUMN queue_log_path varchar(1024) NULL AFTER direction_rules`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE pbx_connections DROP COLUMN queue_log_path`);
  }
}
