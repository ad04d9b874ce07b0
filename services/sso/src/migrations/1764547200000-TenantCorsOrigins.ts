import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each tenant's CORS allow-list (a JSON array of origins; NULL reads as none). */
export class TenantCorsOrigins1764547200000 implements MigrationInterface {
  name = 'TenantCorsOrigins1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants ADD COLUMN cors_origins text NULL AFTER active`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants DROP COLUMN cors_origins`);
  }
}
