import { randomBytes } from 'node:crypto';
import { createTestDatabase, freePort, type TestDatabase } from '@okc/testing';
import { type Connection, createConnection, type RowDataPacket } from 'mysql2/promise';
import { LookupService } from '../src/lookup/lookup.service';
import { type PbxHarness, startPbxHarness } from './support/pbx-harness';

const KNOWN = '+15550002';

interface Reply {
  status: number;
  body: {
    id: string;
    hasPassword: boolean;
    details: { field: string }[];
    outcome: string;
    screenPop: Record<string, unknown> | null;
    missingKeys: string[];
    error: string | null;
  } & Record<string, unknown>;
}

/**
 * Caller lookup in a tenant's own MySQL-compatible database, played by a throwaway database on the local
 * MariaDB, read by a user who may write there: the lookup still cannot write (read-only session and
 * transaction), validation refuses anything but one SELECT, and a slow query is left out by the deadline.
 */
describe('pbx-integration: caller lookup (mysql)', () => {
  let h: PbxHarness;
  let external: TestDatabase;
  let root: Connection;
  let lookups: LookupService;
  const user = `lk_${randomBytes(3).toString('hex')}`;
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const hosts = ['%', 'localhost', '127.0.0.1'];
  const tokens = { acmeAdmin: '', acmeSupervisor: '', globexAdmin: '', umbrellaAdmin: '' };

  beforeAll(async () => {
    h = await startPbxHarness({ env: { LOOKUP_DEADLINE_MS: '1500' } });
    lookups = h.app.get(LookupService);
    external = await createTestDatabase(h.infra, `lookup_ext_${randomBytes(3).toString('hex')}`);
    root = await createConnection({ ...external.config });
    await root.query(`CREATE TABLE customers (
      phone varchar(32) NOT NULL PRIMARY KEY,
      name varchar(128) NOT NULL,
      tier varchar(16) NULL,
      note varchar(128) NULL,
      since datetime NOT NULL
    )`);
    await root.query(
      `INSERT INTO customers VALUES (?, 'Grace Hopper', 'gold', NULL, '2024-01-02 03:04:05'),
        ('+15550003', 'Alan Turing', NULL, 'call back', '2023-05-06 07:08:09')`,
      [KNOWN],
    );
    await root.query('CREATE TABLE audit_log (phone varchar(32) NOT NULL)');
    // A function that writes with the caller's own rights: a SELECT can call it.
    await root.query(`CREATE FUNCTION touch_customer(p varchar(32)) RETURNS int MODIFIES SQL DATA SQL SECURITY INVOKER
      BEGIN INSERT INTO audit_log (phone) VALUES (p); RETURN 1; END`);
    for (const host of hosts) {
      await root.query(`CREATE USER '${user}'@'${host}' IDENTIFIED BY '${password}'`);
      await root.query(`GRANT ALL PRIVILEGES ON \`${external.config.database}\`.* TO '${user}'@'${host}'`);
    }
    tokens.acmeAdmin = await h.issuer.mint({ sub: 'a1', tenant: 'acme', roles: ['admin'] });
    tokens.acmeSupervisor = await h.issuer.mint({ sub: 's1', tenant: 'acme', roles: ['supervisor'] });
    tokens.globexAdmin = await h.issuer.mint({ sub: 'g1', tenant: 'globex', roles: ['admin'] });
    tokens.umbrellaAdmin = await h.issuer.mint({ sub: 'u1', tenant: 'umbrella', roles: ['admin'] });
  });

  afterAll(async () => {
    await h?.close();
    for (const host of hosts) await root?.query(`DROP USER IF EXISTS '${user}'@'${host}'`);
    await root?.end();
    await external?.drop();
  });

  async function call(method: string, path: string, token: string, body?: unknown): Promise<Reply> {
    const res = await fetch(`${h.url}/api/v1/pbx/lookups${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Reply['body'] };
  }

  const connector = (overrides: Record<string, unknown> = {}) => ({
    type: 'mysql',
    name: 'Customers DB',
    host: '127.0.0.1',
    port: external.config.port,
    user,
    password,
    database: external.config.database,
    query: 'SELECT name, tier, note, since FROM customers WHERE phone = ?',
    fieldMapping: { name: 'name', tier: 'tier', note: 'note', customerSince: 'since' },
    ...overrides,
  });

  async function create(token: string, body: Record<string, unknown>): Promise<string> {
    const res = await call('POST', '', token, body);
    expect(res.status).toBe(201);
    return res.body.id;
  }

  async function test(id: string, number = KNOWN) {
    const res = await call('POST', `/${id}/test`, tokens.acmeAdmin, { number });
    expect(res.status).toBe(200);
    return res.body;
  }

  const auditRows = async () =>
    ((await root.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM audit_log'))[0][0] as { n: number }).n;

  it('stores the password sealed and never returns it', async () => {
    const created = await call('POST', '', tokens.acmeAdmin, connector());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'mysql',
      host: '127.0.0.1',
      user,
      database: external.config.database,
      hasPassword: true,
    });
    expect(JSON.stringify(created.body)).not.toContain(password);
    const [row] = await h.db.query<{ secret_sealed: string; settings: string }[]>(
      'SELECT secret_sealed, settings FROM lookup_connectors WHERE id = ?',
      [created.body.id],
    );
    expect(row!.secret_sealed).not.toContain(password);
    expect(row!.settings).not.toContain(password);
    expect(JSON.stringify((await call('GET', '', tokens.acmeSupervisor)).body)).not.toContain(password);
  });

  it('finds the caller in the first row, mapping columns to screen-pop keys', async () => {
    const id = await create(tokens.acmeAdmin, connector({ name: 'Found' }));
    expect(await test(id)).toMatchObject({
      outcome: 'hit',
      screenPop: { name: 'Grace Hopper', tier: 'gold', customerSince: '2024-01-02 03:04:05' },
      missingKeys: ['note'],
      error: null,
    });
    expect(await test(id, '+15550009')).toMatchObject({ outcome: 'miss', screenPop: null, error: null });
  });

  it('runs read-only even for a user who may write: a SELECT that writes is refused', async () => {
    const id = await create(
      tokens.acmeAdmin,
      connector({
        name: 'Writer',
        query: 'SELECT touch_customer(?) AS touched',
        fieldMapping: { touched: 'touched' },
      }),
    );
    const refused = await test(id);
    expect(refused).toMatchObject({ outcome: 'error', screenPop: null });
    expect(refused.error).toMatch(/tried to write, and lookups are read-only/);
    expect(await auditRows()).toBe(0);

    // The session itself is read-only, and only the first row is read.
    const session = await create(
      tokens.acmeAdmin,
      connector({
        name: 'Session',
        query: 'SELECT @@tx_read_only AS readOnly, @@sql_select_limit AS selectLimit, ? AS number',
        fieldMapping: { readOnly: 'readOnly', selectLimit: 'selectLimit', number: 'number' },
      }),
    );
    const state = await test(session);
    expect(state.outcome).toBe('hit');
    expect(String(state.screenPop!.readOnly)).toBe('1');
    expect(String(state.screenPop!.selectLimit)).toBe('1');
    expect(state.screenPop!.number).toBe(KNOWN);

    // The control: the same user, connected directly, can write through the same function.
    const direct = await createConnection({ ...external.config, user, password });
    try {
      await direct.query('SELECT touch_customer(?) AS touched', [KNOWN]);
    } finally {
      await direct.end();
    }
    expect(await auditRows()).toBe(1);
  });

  it('refuses anything but one parameterized SELECT, naming the query field', async () => {
    for (const query of [
      'DELETE FROM customers WHERE phone = ?',
      'UPDATE customers SET tier = NULL WHERE phone = ?',
      'SELECT name FROM customers WHERE phone = ?; DROP TABLE customers',
      'SELECT name FROM customers WHERE phone = ? FOR UPDATE',
      "SELECT name FROM customers WHERE phone = ? INTO OUTFILE '/tmp/customers'",
      'SELECT name FROM customers',
    ]) {
      const res = await call('POST', '', tokens.acmeAdmin, connector({ name: 'Bad', query }));
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body.details.map((d) => d.field)).toEqual(['query']);
    }
    const id = await create(tokens.acmeAdmin, connector({ name: 'Patched' }));
    const patched = await call('PATCH', `/${id}`, tokens.acmeAdmin, {
      query: 'DELETE FROM customers WHERE phone = ?',
    });
    expect(patched.status).toBe(400);
    expect(patched.body.details.map((d) => d.field)).toEqual(['query']);
    for (const [body, field] of [
      [{ host: 'bad host!' }, 'host'],
      [{ port: 70_000 }, 'port'],
      [{ fieldMapping: { name: '' } }, 'fieldMapping.name'],
      [{ urlTemplate: 'https://x/{number}' }, 'urlTemplate'],
    ] as const) {
      const res = await call('PATCH', `/${id}`, tokens.acmeAdmin, body);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.body.details.map((d) => d.field)).toContain(field);
    }
    // The refused changes left it working.
    expect((await test(id)).outcome).toBe('hit');
  });

  it('explains a wrong password, a missing table, a slow query and a database that is not there', async () => {
    const wrong = await create(tokens.acmeAdmin, connector({ name: 'Wrong password', password: 'nope' }));
    expect(await test(wrong)).toMatchObject({
      outcome: 'error',
      error: expect.stringMatching(/access denied for user "lk_.*": check the user and password/),
    });
    // A new password replaces the sealed one (and the pool of the old one).
    expect((await call('PATCH', `/${wrong}`, tokens.acmeAdmin, { password })).body.hasPassword).toBe(true);
    expect((await test(wrong)).outcome).toBe('hit');

    const missing = await create(
      tokens.acmeAdmin,
      connector({ name: 'Missing table', query: 'SELECT name FROM clients WHERE phone = ?' }),
    );
    expect(await test(missing)).toMatchObject({
      outcome: 'error',
      error: expect.stringMatching(/the database refused the query: .*clients.* doesn't exist/),
    });

    const slow = await create(
      tokens.acmeAdmin,
      connector({ name: 'Slow query', query: 'SELECT SLEEP(2) AS slept, ? AS number', timeoutMs: 300 }),
    );
    expect(await test(slow)).toMatchObject({
      outcome: 'timeout',
      error: expect.stringMatching(/300 ms/),
    });

    const closed = await freePort();
    const down = await create(tokens.acmeAdmin, connector({ name: 'Down', port: closed }));
    expect(await test(down)).toMatchObject({
      outcome: 'error',
      error: expect.stringMatching(/connection refused by 127\.0\.0\.1/),
    });
  });

  it('gives the call what the fast connectors found by the deadline; failing and slow ones add nothing', async () => {
    const admin = tokens.umbrellaAdmin;
    await create(admin, connector({ priority: 10, fieldMapping: { name: 'name', tier: 'tier' } }));
    await create(
      admin,
      connector({
        name: 'Slow',
        priority: 1,
        timeoutMs: 10_000,
        query: "SELECT SLEEP(3) AS slept, 'Slow Name' AS name, ? AS number",
        fieldMapping: { name: 'name', slept: 'slept' },
      }),
    );
    await create(
      admin,
      connector({
        name: 'Writer',
        priority: 2,
        query: 'SELECT touch_customer(?) AS touched',
        fieldMapping: { t: 'touched' },
      }),
    );
    expect(await lookups.lookup('umbrella', KNOWN)).toEqual({ name: 'Grace Hopper', tier: 'gold' });
    expect(await lookups.lookup('umbrella', '+15550003')).toEqual({ name: 'Alan Turing' });
    expect(await auditRows()).toBe(1);
  });

  it('keeps another tenant away from the connector, while its owner reaches it', async () => {
    const id = await create(tokens.acmeAdmin, connector({ name: 'Private' }));
    expect((await call('GET', `/${id}`, tokens.globexAdmin)).status).toBe(404);
    expect((await call('POST', `/${id}/test`, tokens.globexAdmin, { number: KNOWN })).status).toBe(404);
    expect((await call('PATCH', `/${id}`, tokens.globexAdmin, { password: 'x' })).status).toBe(404);
    expect((await call('DELETE', `/${id}`, tokens.globexAdmin)).status).toBe(404);
    expect(await lookups.lookup('globex', KNOWN)).toBeNull();
    expect((await call('GET', `/${id}`, tokens.acmeAdmin)).status).toBe(200);
    expect((await test(id)).outcome).toBe('hit');
  });
});
