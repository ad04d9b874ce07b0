import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The identities of the canonical facts already written: each fact reaches the outbox once. */
export class Facts1764547800000 implements MigrationInterface {
  name = 'Facts1764547800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE pbx_facts (
      tenant_id varchar(64) NOT NULL,
      fact_key varchar(512) NOT NULL,
      occurred_at datetime(3) NOT NULL,
      created_at datetime(3) NOT NULL,
      PRIMARY KEY (tenant_id, fact_key),
      KEY ix_pbx_facts_occurred (occurred_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE pbx_facts`);
  }
}
