import { createConnection } from 'mysql2/promise';
import { SERVICE_DATABASES } from '../databases.mts';

/** The users `infra:up` creates: each service's user reaches its own database and no other. */
describe('database isolation between services (users made by infra:up)', () => {
  const connect = (svc: keyof typeof SERVICE_DATABASES, database?: string) =>
    createConnection({
      host: process.env.DB_HOST ?? '127.0.0.1',
      port: Number(process.env.DB_PORT ?? 3306),
      user: SERVICE_DATABASES[svc].user,
      password: SERVICE_DATABASES[svc].password,
      ...(database ? { database } : {}),
    });

  it.each([
    ['focus', 'okc_sso'],
    ['sso', 'okc_focus'],
    ['statix', 'okc_pbx'],
    ['helper', 'okc_statix'],
    ['pbx-integration', 'okc_helper'],
  ] as const)('the %s user cannot reach %s (control: it reaches its own database)', async (svc, foreign) => {
    const own = await connect(svc, SERVICE_DATABASES[svc].database);
    try {
      await own.query('CREATE TABLE IF NOT EXISTS isolation_probe (id INT)');
      await own.query('DROP TABLE isolation_probe');
      await expect(own.query(`SELECT * FROM \`${foreign}\`.migrations`)).rejects.toMatchObject({
        code: expect.stringMatching(/ER_TABLEACCESS_DENIED_ERROR|ER_DBACCESS_DENIED_ERROR/),
      });
      await expect(own.query(`CREATE TABLE \`${foreign}\`.intruder (id INT)`)).rejects.toMatchObject({
        code: expect.stringMatching(/ER_TABLEACCESS_DENIED_ERROR|ER_DBACCESS_DENIED_ERROR/),
      });
    } finally {
      await own.end();
    }
    await expect(connect(svc, foreign)).rejects.toMatchObject({ code: 'ER_DBACCESS_DENIED_ERROR' });
  });
});
