import {
  Column,
  Entity,
  PrimaryGeneratedColumn,
  type DataSource,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import { createTestDatabase, getTestInfra, type TestDatabase } from '@okc/testing';
import {
  TenantScopeError,
  acrossTenants,
  createDataSource,
  forTenant,
  runMigrations,
  revertLastMigration,
} from '../src';

@Entity({ name: 'note' })
class Note {
  @PrimaryGeneratedColumn()
  id!: number;
  @Column({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId!: string;
  @Column({ type: 'varchar', length: 200 })
  text!: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}

class CreateNote1700000000001 implements MigrationInterface {
  name = 'CreateNote1700000000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE note (id INT AUTO_INCREMENT, tenant_id VARCHAR(64) NOT NULL, text VARCHAR(200) NOT NULL,
      created_at DATETIME(3) NOT NULL, PRIMARY KEY (id), KEY idx_note_tenant (tenant_id, id))`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE note');
  }
}

describe('persistence (real MariaDB)', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase(await getTestInfra(), 'persistence');
    ds = createDataSource(db.config, {
      service: 'test',
      entities: [Note],
      migrations: [CreateNote1700000000001],
    });
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('applies and reverts migrations, and is up to date on a second run', async () => {
    expect((await runMigrations(ds)).applied).toEqual(['CreateNote1700000000001']);
    expect((await runMigrations(ds)).applied).toEqual([]);
    await revertLastMigration(ds);
    await expect(ds.query('SELECT 1 FROM note')).rejects.toMatchObject({ code: 'ER_NO_SUCH_TABLE' });
    expect((await runMigrations(ds)).applied).toEqual(['CreateNote1700000000001']);
  });

  it('stores and reads datetime(3) in UTC with milliseconds, and every connection runs in UTC', async () => {
    const at = new Date('2026-03-29T01:30:00.123Z'); // inside a DST change in many zones
    const notes = forTenant(ds.getRepository(Note), 'acme');
    await notes.save(notes.create({ text: 'utc', createdAt: at }));
    const found = await notes.findOneBy({ text: 'utc' });
    expect(found?.createdAt.toISOString()).toBe(at.toISOString());
    const zones = (await Promise.all([1, 2, 3].map(() => ds.query('SELECT @@session.time_zone AS tz')))) as {
      tz: string;
    }[][];
    expect(zones.flat().map((z) => z.tz)).toEqual(['+00:00', '+00:00', '+00:00']);
  });

  it('uses utf8mb4_unicode_ci, so Cyrillic and emoji round-trip', async () => {
    const notes = forTenant(ds.getRepository(Note), 'demo');
    await notes.save(notes.create({ text: 'Звонок 📞', createdAt: new Date() }));
    expect((await notes.findOneBy({ text: 'Звонок 📞' }))?.text).toBe('Звонок 📞');
    const [row] = await ds.query<{ c: string }[]>('SELECT @@collation_database AS c');
    expect(row!.c).toBe('utf8mb4_unicode_ci');
  });

  describe('tenant-scoped repository', () => {
    beforeAll(async () => {
      await ds.query('DELETE FROM note');
      const now = new Date();
      await ds.query('INSERT INTO note (tenant_id, text, created_at) VALUES (?,?,?),(?,?,?),(?,?,?)', [
        'alpha',
        'a1',
        now,
        'alpha',
        'a2',
        now,
        'beta',
        'b1',
        now,
      ]);
    });

    it('reads only its own tenant’s rows (control: the other tenant reads its own)', async () => {
      expect((await forTenant(ds.getRepository(Note), 'alpha').find()).map((n) => n.text).sort()).toEqual([
        'a1',
        'a2',
      ]);
      expect((await forTenant(ds.getRepository(Note), 'beta').find()).map((n) => n.text)).toEqual(['b1']);
    });

    it('overrides a tenantId smuggled into where, in objects and arrays', async () => {
      const alpha = forTenant(ds.getRepository(Note), 'alpha');
      expect(await alpha.findBy({ tenantId: 'beta' })).toHaveLength(2);
      expect(
        (await alpha.findBy([{ text: 'b1', tenantId: 'beta' }, { text: 'a1' }])).map((n) => n.text),
      ).toEqual(['a1']);
      expect(await alpha.findOneBy({ text: 'b1' })).toBeNull();
      expect(await alpha.count({ text: 'b1' })).toBe(0);
    });

    it('cannot update, delete or save another tenant’s rows', async () => {
      const alpha = forTenant(ds.getRepository(Note), 'alpha');
      expect(await alpha.update({ text: 'b1' }, { text: 'hacked' })).toBe(0);
      expect(await alpha.delete({ text: 'b1' })).toBe(0);
      const beta = (await forTenant(ds.getRepository(Note), 'beta').findOneBy({ text: 'b1' }))!;
      await expect(alpha.save({ ...beta, text: 'moved' })).rejects.toBeInstanceOf(TenantScopeError);
      expect((await forTenant(ds.getRepository(Note), 'beta').findOneBy({ text: 'b1' }))?.text).toBe('b1');
      // control: the owner can update its row
      expect(await forTenant(ds.getRepository(Note), 'beta').update({ text: 'b1' }, { text: 'b1' })).toBe(1);
    });

    it('keeps the tenant filter in query builders and transactions', async () => {
      const alpha = forTenant(ds.getRepository(Note), 'alpha');
      const texts = await alpha.createQueryBuilder('n').andWhere('n.text LIKE :p', { p: '%1' }).getMany();
      expect(texts.map((n) => n.text)).toEqual(['a1']);
      await ds.transaction(async (m) => {
        expect(await alpha.withManager(m).count()).toBe(2);
      });
    });

    it('creates rows in its own tenant, whatever the values say', () => {
      const alpha = forTenant(ds.getRepository(Note), 'alpha');
      const row = alpha.create({ text: 'a3', tenantId: 'beta', createdAt: new Date() });
      expect(row.tenantId).toBe('alpha');
    });

    it('refuses an empty tenant, and the escape hatch needs a reason', () => {
      expect(() => forTenant(ds.getRepository(Note), '')).toThrow(TenantScopeError);
      expect(() => acrossTenants(ds.getRepository(Note), '')).toThrow(TenantScopeError);
      expect(acrossTenants(ds.getRepository(Note), 'retention job purges every tenant')).toBe(
        ds.getRepository(Note),
      );
    });
  });
});
