import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Caller-lookup connectors (secrets sealed with PBX_SECRET_KEY); tenant_id first in every index. */
export class Lookup1764547600000 implements MigrationInterface {
  name = 'Lookup1764547600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE lookup_connectors (
      tenant_id varchar(64) NOT NULL,
      id char(36) NOT NULL,
      name varchar(128) NOT NULL,
      type varchar(16) NOT NULL,
      enabled tinyint(1) NOT NULL,
      priority int NOT NULL,
      timeout_ms int NOT NULL,
      cache_ttl_s int NOT NULL,
      settings text NOT NULL,
      field_mapping text NOT NULL,
      secret_sealed text NOT NULL,
      created_at datetime(3) NOT NULL,
      updated_at datetime(3) NOT NULL,
      PRIMARY KEY (tenant_id, id),
      UNIQUE KEY uq_lookup_connectors_tenant_name (tenant_id, name),
      KEY ix_lookup_connectors_tenant_enabled (tenant_id, enabled, priority)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE lookup_connectors`);
  }
}
