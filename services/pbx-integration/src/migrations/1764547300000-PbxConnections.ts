import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A tenant's PBX connections (the AMI secret sealed with PBX_SECRET_KEY). */
export class PbxConnections1764547300000 implements MigrationInterface {
  name = 'PbxConnections1764547300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE pbx_connections (
      id char(36) NOT NULL,
      tenant_id varchar(64) NOT NULL,
      name varchar(128) NOT NULL,
      type varchar(32) NOT NULL,
      host varchar(253) NOT NULL,
      port int NOT NULL,
      username varchar(128) NOT NULL,
      secret_sealed text NOT NULL,
      direction_rules text NOT NULL,
      enabled tinyint(1) NOT NULL,
      created_at datetime(3) NOT NULL,
      updated_at datetime(3) NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_pbx_connections_tenant_name (tenant_id, name)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE pbx_connections`);
  }
}
