import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Operating modes: each tenant's settings and current state, and the audit of switches and changes. */
export class Modes1764547400000 implements MigrationInterface {
  name = 'Modes1764547400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE pbx_mode_settings (
      tenant_id varchar(64) NOT NULL,
      settings text NOT NULL,
      updated_by varchar(256) NULL,
      updated_at datetime(3) NOT NULL,
      PRIMARY KEY (tenant_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`CREATE TABLE pbx_mode_state (
      tenant_id varchar(64) NOT NULL,
      mode varchar(64) NOT NULL,
      source varchar(16) NOT NULL,
      since datetime(3) NOT NULL,
      override_json text NULL,
      changed_by varchar(256) NULL,
      PRIMARY KEY (tenant_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`CREATE TABLE pbx_audit (
      id char(36) NOT NULL,
      tenant_id varchar(64) NOT NULL,
      at datetime(3) NOT NULL,
      actor varchar(256) NOT NULL,
      action varchar(64) NOT NULL,
      details text NOT NULL,
      PRIMARY KEY (id),
      KEY ix_pbx_audit_tenant_at (tenant_id, at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE pbx_audit`);
    await q.query(`DROP TABLE pbx_mode_state`);
    await q.query(`DROP TABLE pbx_mode_settings`);
  }
}
