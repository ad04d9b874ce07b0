import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { screenPopSchema } from '@okc/contracts';
import { REDIS_CLIENT } from '@okc/runtime';
import { freePort, waitFor } from '@okc/testing';
import type { Redis } from 'ioredis';
import { LookupService } from '../src/lookup/lookup.service';
import { type PbxHarness, startPbxHarness } from './support/pbx-harness';

/** The caller every fake system knows. */
const KNOWN = '+15550001';
const UNKNOWN = '+15559999';
/** How long /slow takes to answer: beyond the deadline (LOOKUP_DEADLINE_MS=1500) and short timeouts. */
const SLOW_MS = 2500;

interface Received {
  method: string;
  path: string;
  /** The request line's URL as sent (to see the encoding). */
  rawUrl: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Reply {
  status: number;
  body: {
    id: string;
    items: { id: string; name: string }[];
    details: { field: string; message: string }[];
    headerNames: string[];
    outcome: string;
    screenPop: Record<string, unknown> | null;
    missingKeys: string[];
    durationMs: number;
    error: string | null;
    updatedAt: string;
  } & Record<string, unknown>;
}

/**
 * Caller lookup over HTTP on the real service, database and Redis, against a local fake CRM: the REST API
 * (roles, tenants, sealed headers, validation), the admin's test run, and LookupService's deadline, merge
 * and cache.
 */
describe('pbx-integration: caller lookup (http-json)', () => {
  let h: PbxHarness;
  let crm: Server;
  let base: string;
  let lookups: LookupService;
  const received: Received[] = [];
  /** Answers of /slow actually written, by tag. */
  const slowAnswered = new Map<string, number>();
  const tokens = {
    acmeAdmin: '',
    acmeSupervisor: '',
    acmeOperator: '',
    acmeIntegrator: '',
    globexAdmin: '',
    initechAdmin: '',
    hooliAdmin: '',
  };

  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  beforeAll(async () => {
    crm = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://crm');
        const query = url.searchParams;
        received.push({
          method: req.method ?? '',
          path: url.pathname,
          rawUrl: req.url ?? '',
          query,
          headers: req.headers,
          body,
        });
        switch (url.pathname) {
          case '/crm':
            if (query.get('phone') !== KNOWN) return json(res, 404, { error: 'no such customer' });
            return json(res, 200, {
              data: { customer: { name: 'Ada Lovelace', vip: true, balance: 12.5 } },
              items: [{ id: 'C-1' }, { id: 'C-2' }],
            });
          case '/billing': {
            if (req.headers['x-api-key'] !== 'k-secret') return json(res, 401, { error: 'who are you' });
            const { phone } = JSON.parse(body) as { phone: string };
            if (phone !== KNOWN) return json(res, 404, {});
            return json(res, 200, { account: { name: 'A. Lovelace (billing)', plan: 'gold' } });
          }
          case '/slow': {
            const tag = query.get('tag') ?? '';
            const timer = setTimeout(() => {
              if (res.destroyed) return;
              slowAnswered.set(tag, (slowAnswered.get(tag) ?? 0) + 1);
              json(res, 200, { note: `slow ${tag}` });
            }, SLOW_MS);
            res.on('close', () => clearTimeout(timer));
            return;
          }
          case '/fail':
            return res.writeHead(500).end('boom');
          case '/bad-json':
            return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>not json');
          case '/huge-value':
            return json(res, 200, { name: 'x'.repeat(5000) });
          default:
            return res.writeHead(404).end();
        }
      });
    });
    await new Promise<void>((resolve) => crm.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(crm.address() as AddressInfo).port}`;
    h = await startPbxHarness({ env: { LOOKUP_DEADLINE_MS: '1500', LOOKUP_MISS_TTL_S: '60' } });
    lookups = h.app.get(LookupService);
    const mint = (tenant: string, roles: string[]) =>
      h.issuer.mint({ sub: `${tenant}-${roles[0]}`, tenant, roles });
    tokens.acmeAdmin = await mint('acme', ['admin']);
    tokens.acmeSupervisor = await mint('acme', ['supervisor']);
    tokens.acmeOperator = await mint('acme', ['operator']);
    tokens.acmeIntegrator = await mint('acme', ['integrator']);
    tokens.globexAdmin = await mint('globex', ['admin']);
    tokens.initechAdmin = await mint('initech', ['admin']);
    tokens.hooliAdmin = await mint('hooli', ['admin']);
  });

  afterAll(async () => {
    await h?.close();
    crm?.closeAllConnections();
    await new Promise((resolve) => crm?.close(resolve));
  });

  async function call(
    method: string,
    path: string,
    token: string | undefined,
    body?: unknown,
  ): Promise<Reply> {
    const res = await fetch(`${h.url}/api/v1/pbx/lookups${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Reply['body'] };
  }

  async function create(token: string, body: Record<string, unknown>): Promise<string> {
    const res = await call('POST', '', token, body);
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const crmConnector = (overrides: Record<string, unknown> = {}) => ({
    type: 'http-json',
    name: 'CRM',
    urlTemplate: `${base}/crm?phone={number}`,
    fieldMapping: {
      name: 'data.customer.name',
      vip: '$.data.customer.vip',
      customerId: 'items[0].id',
      email: 'data.customer.email',
    },
    ...overrides,
  });
  const billingConnector = (overrides: Record<string, unknown> = {}) => ({
    type: 'http-json',
    name: 'Billing',
    urlTemplate: `${base}/billing`,
    method: 'POST',
    bodyTemplate: '{"phone":"{number}"}',
    headers: { 'X-Api-Key': 'k-secret' },
    fieldMapping: { name: 'account.name', plan: 'account.plan' },
    ...overrides,
  });
  const at = (path: string, phone?: string) =>
    received.filter((r) => r.path === path && (phone === undefined || r.query.get('phone') === phone));

  describe('connectors (REST)', () => {
    it('lets an admin add one; header values are sealed in the database and never returned', async () => {
      const created = await call('POST', '', tokens.acmeAdmin, billingConnector());
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'Billing',
        type: 'http-json',
        method: 'POST',
        bodyTemplate: '{"phone":"{number}"}',
        headerNames: ['X-Api-Key'],
        enabled: true,
        priority: 100,
        timeoutMs: 1000,
        cacheTtlS: 300,
      });
      expect(JSON.stringify(created.body)).not.toContain('k-secret');
      const [row] = await h.db.query<{ tenant_id: string; secret_sealed: string }[]>(
        'SELECT tenant_id, secret_sealed FROM lookup_connectors WHERE id = ?',
        [created.body.id],
      );
      expect(row!.tenant_id).toBe('acme');
      expect(row!.secret_sealed.startsWith('v1.')).toBe(true);
      expect(row!.secret_sealed).not.toContain('k-secret');
      const read = await call('GET', `/${created.body.id}`, tokens.acmeAdmin);
      expect(read.body.headerNames).toEqual(['X-Api-Key']);
      expect(JSON.stringify(read.body)).not.toContain('k-secret');
    });

    it('lets supervisors read, and refuses them writing and testing; operators and integrators get nothing', async () => {
      const id = await create(tokens.acmeAdmin, crmConnector({ name: 'Roles' }));
      expect((await call('GET', '', tokens.acmeSupervisor)).body.items.map((c) => c.name)).toContain('Roles');
      expect((await call('GET', `/${id}`, tokens.acmeSupervisor)).status).toBe(200);
      expect((await call('POST', '', tokens.acmeSupervisor, crmConnector({ name: 'X' }))).status).toBe(403);
      expect((await call('PATCH', `/${id}`, tokens.acmeSupervisor, { priority: 1 })).status).toBe(403);
      expect((await call('DELETE', `/${id}`, tokens.acmeSupervisor)).status).toBe(403);
      expect((await call('POST', `/${id}/test`, tokens.acmeSupervisor, { number: KNOWN })).status).toBe(403);
      expect((await call('GET', '', tokens.acmeOperator)).status).toBe(403);
      expect((await call('GET', '', tokens.acmeIntegrator)).status).toBe(403);
      expect((await call('GET', '', undefined)).status).toBe(401);
    });

    it('keeps tenants apart on every route, while the owner reaches its connector', async () => {
      const id = await create(tokens.acmeAdmin, crmConnector({ name: 'Isolated' }));
      const other = tokens.globexAdmin;
      expect((await call('GET', '', other)).body.items).toEqual([]);
      expect((await call('GET', `/${id}`, other)).status).toBe(404);
      expect((await call('PATCH', `/${id}`, other, { enabled: false })).status).toBe(404);
      expect((await call('POST', `/${id}/test`, other, { number: KNOWN })).status).toBe(404);
      expect((await call('DELETE', `/${id}`, other)).status).toBe(404);
      // The allowed control: the owner still has it, unchanged, and can test it.
      const own = await call('GET', `/${id}`, tokens.acmeAdmin);
      expect(own.status).toBe(200);
      expect(own.body.enabled).toBe(true);
      expect((await call('POST', `/${id}/test`, tokens.acmeAdmin, { number: KNOWN })).body.outcome).toBe(
        'hit',
      );
      // The same name is free in another tenant; its lookups never use acme's connectors.
      expect((await call('POST', '', other, crmConnector({ name: 'Isolated', enabled: false }))).status).toBe(
        201,
      );
      expect(await lookups.lookup('globex', KNOWN)).toBeNull();
    });

    it('answers bad input with 400 naming the field, a taken name with 409, and never 500', async () => {
      const cases: [unknown, string][] = [
        [crmConnector({ name: 'V', type: 'ldap' }), 'type'],
        [crmConnector({ name: 'V', urlTemplate: 'not a url' }), 'urlTemplate'],
        [crmConnector({ name: 'V', urlTemplate: `${base}/crm` }), 'urlTemplate'],
        [crmConnector({ name: 'V', method: 'DELETE' }), 'method'],
        [crmConnector({ name: 'V', bodyTemplate: '{"p":"{number}"}' }), 'bodyTemplate'],
        [crmConnector({ name: 'V', headers: { 'Bad Header': 'x' } }), 'headers.Bad Header'],
        [crmConnector({ name: 'V', timeoutMs: 50 }), 'timeoutMs'],
        [crmConnector({ name: 'V', timeoutMs: 20_000 }), 'timeoutMs'],
        [crmConnector({ name: 'V', cacheTtlS: -5 }), 'cacheTtlS'],
        [crmConnector({ name: 'V', fieldMapping: { name: 'data..name' } }), 'fieldMapping.name'],
        [crmConnector({ name: 'V', fieldMapping: {} }), 'fieldMapping'],
        [crmConnector({ name: 'V', colour: 'red' }), 'colour'],
        [{ type: 'http-json', name: 'V' }, 'urlTemplate'],
        [[1, 2], '(root)'],
      ];
      for (const [body, field] of cases) {
        const res = await call('POST', '', tokens.acmeAdmin, body);
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(res.body.details.map((d) => d.field)).toContain(field);
      }
      expect((await call('POST', '', tokens.acmeAdmin, '{"type": "http-json",')).status).toBe(400);
      const taken = await call('POST', '', tokens.acmeAdmin, crmConnector({ name: 'Billing' }));
      expect(taken.status).toBe(409);
      expect(taken.body.details).toMatchObject({ field: 'name' });

      const id = await create(tokens.acmeAdmin, crmConnector({ name: 'Patchable' }));
      const patchCases: [unknown, string][] = [
        [{ type: 'mysql' }, 'type'],
        [{ timeoutMs: 0 }, 'timeoutMs'],
        [{ bodyTemplate: '{"p":1}' }, 'bodyTemplate'],
        [{ name: '' }, 'name'],
        [{ host: 'db' }, 'host'],
      ];
      for (const [body, field] of patchCases) {
        const res = await call('PATCH', `/${id}`, tokens.acmeAdmin, body);
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(res.body.details.map((d) => d.field)).toContain(field);
      }
      expect((await call('PATCH', `/${id}`, tokens.acmeAdmin, {})).status).toBe(400);
      expect((await call('PATCH', `/${id}`, tokens.acmeAdmin, { name: 'Billing' })).status).toBe(409);
      expect((await call('GET', '/not-a-uuid', tokens.acmeAdmin)).status).toBe(400);
      expect((await call('GET', '/0b6f5c1e-8a5e-4f5e-9a40-6f1f2f0d9c11', tokens.acmeAdmin)).status).toBe(404);
      const badNumber = await call('POST', `/${id}/test`, tokens.acmeAdmin, { number: 'anonymous' });
      expect(badNumber.status).toBe(400);
      expect(badNumber.body.details.map((d) => d.field)).toEqual(['number']);
    });

    it('changes a connector: new headers replace the sealed ones, omitted ones are kept; removes one', async () => {
      const id = await create(tokens.acmeAdmin, billingConnector({ name: 'Rotating' }));
      const moved = await call('PATCH', `/${id}`, tokens.acmeAdmin, { priority: 7, timeoutMs: 2000 });
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ priority: 7, timeoutMs: 2000, headerNames: ['X-Api-Key'] });
      // The kept header still authenticates.
      expect((await call('POST', `/${id}/test`, tokens.acmeAdmin, { number: KNOWN })).body.outcome).toBe(
        'hit',
      );
      const rotated = await call('PATCH', `/${id}`, tokens.acmeAdmin, { headers: { 'X-Api-Key': 'wrong' } });
      expect(rotated.body.headerNames).toEqual(['X-Api-Key']);
      const refused = await call('POST', `/${id}/test`, tokens.acmeAdmin, { number: KNOWN });
      expect(refused.body).toMatchObject({
        outcome: 'error',
        error: expect.stringMatching(/HTTP 401.*credentials/),
      });
      expect((await call('DELETE', `/${id}`, tokens.acmeAdmin)).status).toBe(204);
      expect((await call('GET', `/${id}`, tokens.acmeAdmin)).status).toBe(404);
      expect((await call('DELETE', `/${id}`, tokens.acmeAdmin)).status).toBe(404);
    });
  });

  describe('the admin’s test run', () => {
    const test = async (connector: Record<string, unknown>, number = KNOWN) => {
      const id = await create(tokens.acmeAdmin, connector);
      const res = await call('POST', `/${id}/test`, tokens.acmeAdmin, { number });
      expect(res.status).toBe(200);
      return res.body;
    };

    it('answers what was found, what was not, and how long it took; the number travels URL-encoded', async () => {
      const found = await test(crmConnector({ name: 'Test hit' }));
      expect(found).toMatchObject({
        outcome: 'hit',
        screenPop: { name: 'Ada Lovelace', vip: true, customerId: 'C-1' },
        missingKeys: ['email'],
        error: null,
      });
      expect(typeof found.durationMs).toBe('number');
      expect(at('/crm', KNOWN).at(-1)!.rawUrl).toBe('/crm?phone=%2B15550001');
    });

    it('says "miss" when the system does not know the caller (404)', async () => {
      expect(await test(crmConnector({ name: 'Test miss' }), UNKNOWN)).toMatchObject({
        outcome: 'miss',
        screenPop: null,
        error: null,
      });
    });

    it('POSTs the body template with the number and the secret header', async () => {
      const found = await test(billingConnector({ name: 'Test post' }));
      expect(found).toMatchObject({
        outcome: 'hit',
        screenPop: { name: 'A. Lovelace (billing)', plan: 'gold' },
      });
      const request = at('/billing').at(-1)!;
      expect(request.method).toBe('POST');
      expect(JSON.parse(request.body)).toEqual({ phone: KNOWN });
      expect(request.headers['content-type']).toBe('application/json');
    });

    it('explains a timeout, a server error, an answer that is not JSON, and a server that is not there', async () => {
      expect(
        await test(
          crmConnector({
            name: 'Test slow',
            urlTemplate: `${base}/slow?tag=test&phone={number}`,
            timeoutMs: 300,
          }),
        ),
      ).toMatchObject({
        outcome: 'timeout',
        screenPop: null,
        error: expect.stringMatching(/no answer within 300 ms/),
      });
      expect(
        await test(crmConnector({ name: 'Test 500', urlTemplate: `${base}/fail?phone={number}` })),
      ).toMatchObject({
        outcome: 'error',
        error: 'HTTP 500 from the server',
      });
      expect(
        await test(crmConnector({ name: 'Test html', urlTemplate: `${base}/bad-json?phone={number}` })),
      ).toMatchObject({ outcome: 'error', error: expect.stringMatching(/not JSON \(text\/html/) });
      const closed = await freePort();
      expect(
        await test(
          crmConnector({ name: 'Test down', urlTemplate: `http://127.0.0.1:${closed}/crm?phone={number}` }),
        ),
      ).toMatchObject({
        outcome: 'error',
        error: expect.stringMatching(/connection refused by 127\.0\.0\.1/),
      });
    });

    it('truncates values to the screen-pop schema', async () => {
      const found = await test(
        crmConnector({
          name: 'Test huge',
          urlTemplate: `${base}/huge-value?phone={number}`,
          fieldMapping: { name: 'name' },
        }),
      );
      expect(found.outcome).toBe('hit');
      expect((found.screenPop!.name as string).length).toBe(4096);
      expect(screenPopSchema.safeParse(found.screenPop).success).toBe(true);
    });
  });

  describe('LookupService', () => {
    it('answers by the deadline with what the others found, in priority order, without the slow and failing ones', async () => {
      const admin = tokens.initechAdmin;
      await create(admin, crmConnector({ priority: 10 }));
      await create(admin, billingConnector({ priority: 20 }));
      // Would win every key it finds (priority 5), but answers after the deadline; its own timeout is long.
      await create(admin, {
        ...crmConnector({ name: 'Slow, long timeout', priority: 5, timeoutMs: 10_000 }),
        urlTemplate: `${base}/slow?tag=long&phone={number}`,
        fieldMapping: { name: 'note', slowLong: 'note' },
      });
      // Times out on its own (300 ms), well before its answer.
      await create(admin, {
        ...crmConnector({ name: 'Slow, short timeout', priority: 6, timeoutMs: 300 }),
        urlTemplate: `${base}/slow?tag=short&phone={number}`,
        fieldMapping: { slowShort: 'note' },
      });
      await create(
        admin,
        crmConnector({ name: 'Failing', priority: 1, urlTemplate: `${base}/fail?p={number}` }),
      );
      await create(
        admin,
        crmConnector({ name: 'Disabled', priority: 0, enabled: false, fieldMapping: { off: 'items.1.id' } }),
      );

      const pop = await lookups.lookup('initech', KNOWN);
      // CRM (10) wins `name` over billing (20); the slow, failing and disabled connectors add nothing.
      expect(pop).toEqual({ name: 'Ada Lovelace', vip: true, customerId: 'C-1', plan: 'gold' });
      expect(screenPopSchema.safeParse(pop).success).toBe(true);

      // The long-timeout connector goes on after the deadline and caches its answer for the next call; the
      // short one was cut off by its own timeout, so its (later) answer never arrives.
      const later = await waitFor('the slow answer to be cached', async () => {
        const next = await lookups.lookup('initech', KNOWN);
        return next && 'slowLong' in next ? next : undefined;
      });
      expect(later).toEqual({
        name: 'slow long',
        slowLong: 'slow long',
        vip: true,
        customerId: 'C-1',
        plan: 'gold',
      });
      expect(slowAnswered.get('long')).toBe(1);
      expect(slowAnswered.get('short') ?? 0).toBe(0);
      expect(at('/slow').filter((r) => r.query.get('tag') === 'short').length).toBeGreaterThanOrEqual(2);

      const metrics = await (await fetch(`${h.url}/metrics`)).text();
      for (const outcome of ['hit', 'timeout', 'error']) {
        expect(metrics).toMatch(
          new RegExp(
            `okc_lookups_total\\{[^}]*type="http-json",outcome="${outcome}",source="call"[^}]*\\} [1-9]`,
          ),
        );
      }
      expect(metrics).toMatch(/okc_lookups_total\{[^}]*outcome="hit",source="cache"[^}]*\} [1-9]/);
      expect(metrics).toMatch(/okc_lookup_deadline_missed_total\{[^}]*type="http-json"[^}]*\} [1-9]/);
      expect(metrics).toMatch(
        /okc_lookup_duration_seconds_count\{[^}]*type="http-json",outcome="hit"[^}]*\} [1-9]/,
      );
    });

    it('caches answers per tenant and connector: found ones for the TTL, misses shorter; a change retires them', async () => {
      const id = await create(tokens.hooliAdmin, crmConnector({ cacheTtlS: 300 }));
      const first = await lookups.lookup('hooli', KNOWN);
      expect(first).toEqual({ name: 'Ada Lovelace', vip: true, customerId: 'C-1' });
      expect(await lookups.lookup('hooli', KNOWN)).toEqual(first);
      expect(await lookups.lookup('hooli', UNKNOWN)).toBeNull();
      expect(await lookups.lookup('hooli', UNKNOWN)).toBeNull();
      const hooliRequests = (phone: string) => at('/crm', phone).length;
      const before = { known: hooliRequests(KNOWN), unknown: hooliRequests(UNKNOWN) };

      // The keys are the tenant's; a hit lives for the connector's TTL, a miss for LOOKUP_MISS_TTL_S.
      const redis = h.app.get<Redis>(REDIS_CLIENT);
      const version = new Date((await call('GET', `/${id}`, tokens.hooliAdmin)).body.updatedAt).getTime();
      const hitTtl = await redis.ttl(`hooli:lookup:${id}:${version}:${KNOWN}`);
      const missTtl = await redis.ttl(`hooli:lookup:${id}:${version}:${UNKNOWN}`);
      expect(hitTtl).toBeGreaterThan(60);
      expect(hitTtl).toBeLessThanOrEqual(300);
      expect(missTtl).toBeGreaterThan(0);
      expect(missTtl).toBeLessThanOrEqual(60);

      // Served from the cache: the CRM is not asked again.
      await lookups.lookup('hooli', KNOWN);
      await lookups.lookup('hooli', UNKNOWN);
      expect({ known: hooliRequests(KNOWN), unknown: hooliRequests(UNKNOWN) }).toEqual(before);

      // Changing the connector retires its cached answers.
      await call('PATCH', `/${id}`, tokens.hooliAdmin, { fieldMapping: { name: 'data.customer.name' } });
      expect(await lookups.lookup('hooli', KNOWN)).toEqual({ name: 'Ada Lovelace' });
      expect(hooliRequests(KNOWN)).toBe(before.known + 1);
    });

    it('answers null for a tenant without connectors and for something that is not a number', async () => {
      expect(await lookups.lookup('nobody', KNOWN)).toBeNull();
      expect(await lookups.lookup('hooli', 'anonymous')).toBeNull();
      expect(await lookups.lookup('hooli', '')).toBeNull();
    });
  });
});
