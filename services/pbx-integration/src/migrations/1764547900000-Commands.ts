import type { MigrationInterface, QueryRunner } from 'typeorm';

/** PBX commands: each commandId executed at most once, with its outcome. */
export class Commands1764547900000 implements MigrationInterface {
  name = 'Commands1764547900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE pbx_commands (
      tenant_id varchar(64) NOT NULL,
      command_id char(36) NOT NULL,
      command varchar(32) NOT NULL,
      status varchar(16) NOT NULL,
      code varchar(32) NULL,
      message varchar(1024) NULL,
      requested_by varchar(128) NULL,
      created_at datetime(3) NOT NULL,
      finished_at datetime(3) NULL,
      PRIMARY KEY (tenant_id, command_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE pbx_commands`);
  }
}
