import { type PbxHarness, startPbxHarness } from './support/pbx-harness';

/** `/api/v1/pbx/connections` on the real service and database: roles, tenants, sealed secrets, validation. */
describe('pbx-integration: PBX connections', () => {
  let h: PbxHarness;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    h = await startPbxHarness();
    tokens.acmeAdmin = await h.issuer.mint({ sub: 'a1', tenant: 'acme', roles: ['admin'] });
    tokens.acmeSupervisor = await h.issuer.mint({ sub: 's1', tenant: 'acme', roles: ['supervisor'] });
    tokens.acmeIntegrator = await h.issuer.mint({ sub: 'int-1', tenant: 'acme', roles: ['integrator'] });
    tokens.acmeOperator = await h.issuer.mint({ sub: 'o1', tenant: 'acme', roles: ['operator'] });
    tokens.globexAdmin = await h.issuer.mint({ sub: 'g1', tenant: 'globex', roles: ['admin'] });
  });
  afterAll(async () => h?.close());

  interface Reply {
    status: number;
    body: {
      id: string;
      items: { id: string; name: string }[];
      details: { field: string }[] & { field?: string };
      status: { state: string };
    } & Record<string, unknown>;
  }

  /** One column of one connection row, straight from the database. */
  async function column(
    id: string,
    name: 'tenant_id' | 'secret_sealed' | 'queue_log_secret_sealed',
  ): Promise<string> {
    const rows = await h.db.query<Record<string, string>[]>(
      `SELECT ${name} FROM pbx_connections WHERE id = ?`,
      [id],
    );
    return rows[0]![name]!;
  }

  async function call(
    method: string,
    path: string,
    token: string | undefined,
    body?: unknown,
  ): Promise<Reply> {
    const res = await fetch(`${h.url}/api/v1/pbx/connections${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Reply['body'] };
  }

  const main = {
    name: 'Main Asterisk',
    host: 'pbx.acme.local',
    port: 5038,
    username: 'okc',
    secret: 'ami-secret-123',
    directionRules: { trunkChannelPatterns: ['PJSIP/trunk-*'], inboundContexts: ['from-trunk'] },
  };

  it('lets an admin add a connection; the secret is sealed in the database and never returned', async () => {
    const created = await call('POST', '', tokens.acmeAdmin, main);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Main Asterisk',
      type: 'asterisk-ami',
      host: 'pbx.acme.local',
      hasSecret: true,
      enabled: true,
      directionRules: {
        trunkChannelPatterns: ['PJSIP/trunk-*'],
        inboundContexts: ['from-trunk'],
        outboundContexts: [],
      },
      status: { state: 'disconnected', authenticated: false, eventsPerSecond: 0 },
    });
    expect(JSON.stringify(created.body)).not.toContain('ami-secret-123');
    expect(await column(created.body.id, 'tenant_id')).toBe('acme');
    const sealed = await column(created.body.id, 'secret_sealed');
    expect(sealed).not.toContain('ami-secret-123');
    expect(sealed.startsWith('v1.')).toBe(true);
  });

  it('lets supervisors and integrators read, and refuses operators and anonymous callers', async () => {
    for (const who of ['acmeSupervisor', 'acmeIntegrator', 'acmeAdmin']) {
      const list = await call('GET', '', tokens[who]);
      expect(list.status).toBe(200);
      expect(list.body.items.map((c) => c.name)).toContain('Main Asterisk');
    }
    expect((await call('GET', '', tokens.acmeOperator)).status).toBe(403);
    expect((await call('GET', '', undefined)).status).toBe(401);
    // Reading is not writing.
    const refused = await call('POST', '', tokens.acmeSupervisor, { ...main, name: 'Other' });
    expect(refused.status).toBe(403);
  });

  it('keeps tenants apart: another tenant neither lists nor reaches the connection', async () => {
    const [acme] = (await call('GET', '', tokens.acmeAdmin)).body.items;
    expect((await call('GET', '', tokens.globexAdmin)).body.items).toEqual([]);
    expect((await call('GET', `/${acme!.id}`, tokens.globexAdmin)).status).toBe(404);
    expect((await call('PATCH', `/${acme!.id}`, tokens.globexAdmin, { enabled: false })).status).toBe(404);
    expect((await call('DELETE', `/${acme!.id}`, tokens.globexAdmin)).status).toBe(404);
    // The allowed control: its own admin reaches it.
    expect((await call('GET', `/${acme!.id}`, tokens.acmeAdmin)).status).toBe(200);
    // The same name is free in another tenant.
    expect((await call('POST', '', tokens.globexAdmin, main)).status).toBe(201);
  });

  it('changes a connection; a new secret replaces the sealed one', async () => {
    const [acme] = (await call('GET', '', tokens.acmeAdmin)).body.items;
    const before = await column(acme!.id, 'secret_sealed');
    const patched = await call('PATCH', `/${acme!.id}`, tokens.acmeAdmin, { port: 5039, secret: 'rotated' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ port: 5039, host: 'pbx.acme.local', hasSecret: true });
    expect(await column(acme!.id, 'secret_sealed')).not.toBe(before);
    const disabled = await call('PATCH', `/${acme!.id}`, tokens.acmeAdmin, { enabled: false });
    expect(disabled.body.status.state).toBe('disabled');
  });

  it('takes the queue_log as a database table: the password sealed, never returned, kept on other changes', async () => {
    const table = {
      host: 'pbx-db.acme.local',
      user: 'okc_reader',
      password: 'db-pass-1',
      database: 'asterisk',
    };
    const created = await call('POST', '', tokens.acmeAdmin, {
      ...main,
      name: 'With table',
      queueLogTable: table,
    });
    expect(created.status).toBe(201);
    expect(created.body.queueLogTable).toEqual({
      host: 'pbx-db.acme.local',
      port: 3306,
      user: 'okc_reader',
      database: 'asterisk',
      table: 'queue_log',
      timeFormat: 'datetime',
      timeZone: 'UTC',
      idColumn: 'id',
      hasPassword: true,
    });
    expect(JSON.stringify(created.body)).not.toContain('db-pass-1');
    const sealed = await column(created.body.id, 'queue_log_secret_sealed');
    expect(sealed).not.toContain('db-pass-1');
    // A change without the password keeps the sealed one; null removes the table and its password.
    const moved = await call('PATCH', `/${created.body.id}`, tokens.acmeAdmin, {
      queueLogTable: { ...table, password: undefined, timeZone: 'Europe/Moscow' },
    });
    expect(moved.body.queueLogTable).toMatchObject({ timeZone: 'Europe/Moscow', hasPassword: true });
    expect(await column(created.body.id, 'queue_log_secret_sealed')).toBe(sealed);
    const removed = await call('PATCH', `/${created.body.id}`, tokens.acmeAdmin, { queueLogTable: null });
    expect(removed.body.queueLogTable).toBeNull();
    expect(await column(created.body.id, 'queue_log_secret_sealed')).toBeNull();

    const both = await call('POST', '', tokens.acmeAdmin, {
      ...main,
      name: 'Both',
      queueLogPath: '/var/log/asterisk/queue_log',
      queueLogTable: table,
    });
    expect(both.status).toBe(400);
    expect(both.body.details.map((d) => d.field)).toContain('queueLogTable');
    const badZone = await call('POST', '', tokens.acmeAdmin, {
      ...main,
      name: 'Zone',
      queueLogTable: { ...table, timeZone: 'Mars/Olympus', table: 'drop table' },
    });
    expect(badZone.status).toBe(400);
    expect(badZone.body.details.map((d) => d.field)).toEqual(
      expect.arrayContaining(['queueLogTable.timeZone', 'queueLogTable.table']),
    );
  });

  it('answers bad input with 400 naming the field, a taken name with 409, and never 500', async () => {
    const cases: [unknown, string][] = [
      [{ ...main, name: 'X', host: 'bad host!' }, 'host'],
      [{ ...main, name: 'X', port: 70000 }, 'port'],
      [{ ...main, name: 'X', secret: '' }, 'secret'],
      [{ ...main, name: 'X', type: 'freeswitch-esl' }, 'type'],
      [
        { ...main, name: 'X', directionRules: { inboundContexts: ['has space'] } },
        'directionRules.inboundContexts.0',
      ],
      [{ ...main, name: 'X', extra: 1 }, 'extra'],
      [{ name: 'X' }, 'host'],
    ];
    for (const [body, field] of cases) {
      const res = await call('POST', '', tokens.acmeAdmin, body);
      expect(res.status).toBe(400);
      expect(res.body.details.map((d) => d.field)).toContain(field);
    }
    const taken = await call('POST', '', tokens.acmeAdmin, main);
    expect(taken.status).toBe(409);
    expect(taken.body.details).toMatchObject({ field: 'name' });
    expect((await call('GET', '/not-a-uuid', tokens.acmeAdmin)).status).toBe(400);
    expect((await call('PATCH', '/0b6f5c1e-8a5e-4f5e-9a40-6f1f2f0d9c11', tokens.acmeAdmin, {})).status).toBe(
      400,
    );
  });

  it('removes a connection', async () => {
    const created = await call('POST', '', tokens.acmeAdmin, { ...main, name: 'Spare' });
    expect((await call('DELETE', `/${created.body.id}`, tokens.acmeAdmin)).status).toBe(204);
    expect((await call('GET', `/${created.body.id}`, tokens.acmeAdmin)).status).toBe(404);
    expect((await call('DELETE', `/${created.body.id}`, tokens.acmeAdmin)).status).toBe(404);
  });
});
