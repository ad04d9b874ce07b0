import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { AuditEntryDto, AuditPageDto } from '../src/audit/audit.dto';
import type { ClientDto, ClientSecretDto, CreatedClientDto } from '../src/clients/clients.dto';
import type { RotationDto } from '../src/keys/keys.controller';
import { seedDevelopmentData } from '../src/seed/dev-seed';
import type { CreatedTenantDto, TenantListDto } from '../src/tenants/tenants.dto';
import type { UserDto, UserListDto } from '../src/users/users.dto';
import {
  clientCredentialsToken,
  signInThroughGateway,
  type SsoHarness,
  startSsoHarness,
} from './support/sso-harness';

/**
 * The identity admin API against the real sso app (in-process, own database, Redis prefix and topics),
 * with real tokens: the development seed makes the accounts, the users sign in through the gateway client.
 */

interface ErrorBody {
  error: string;
  message: string;
  details?: { field: string; message: string; code?: string }[];
}

interface OutboxRow {
  event_type: string;
  message_key: string;
  tenant_id: string;
  payload: string;
}

interface AuditRow {
  type: string;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  subject_id: string | null;
  before_state: string | null;
  after_state: string | null;
  request_id: string | null;
}

describe('identity admin API', () => {
  let h: SsoHarness;
  const tokens: Record<'demoAdmin' | 'acmeAdmin' | 'platformAdmin' | 'demoOperator', string> = {
    demoAdmin: '',
    acmeAdmin: '',
    platformAdmin: '',
    demoOperator: '',
  };

  beforeAll(async () => {
    // A short lockout threshold, so that the unlock test can lock an account in three attempts.
    h = await startSsoHarness({
      name: 'admin',
      env: { SSO_LOGIN_FREE_ATTEMPTS: '2', SSO_LOCKOUT_THRESHOLD: '3' },
    });
    await seedDevelopmentData(h.db);
    tokens.demoAdmin = (await signInThroughGateway(h, 'admin@demo')).access_token;
    tokens.acmeAdmin = (await signInThroughGateway(h, 'admin@acme')).access_token;
    tokens.platformAdmin = (await signInThroughGateway(h, 'admin@platform')).access_token;
    tokens.demoOperator = (await signInThroughGateway(h, 'op1@demo')).access_token;
  });

  afterAll(async () => {
    await h?.close();
  });

  async function api<T = unknown>(
    token: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${h.url}/api/v1/sso${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async function userId(tenant: string, login: string): Promise<string> {
    const rows: { id: string }[] = await h.db.query(
      'SELECT id FROM users WHERE tenant_id = ? AND login = ?',
      [tenant, login],
    );
    if (!rows[0]) throw new Error(`no ${login}@${tenant}`);
    return rows[0].id;
  }

  const goodPassword = 'tall lighthouse in winter';

  describe('validation', () => {
    it('answers a bad body with 400 VALIDATION_FAILED naming each bad and each unknown field', async () => {
      const res = await api<ErrorBody>(tokens.demoAdmin, 'POST', '/users', {
        login: 'has space',
        name: 'X',
        password: goodPassword,
        roles: ['operator', 'root'],
        passwordHash: 'x',
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('VALIDATION_FAILED');
      expect(res.body.details?.map((d) => d.field)).toEqual(['login', 'roles.1', 'passwordHash']);
    });

    it('applies the password policy: 400 on `password` with the policy codes', async () => {
      const res = await api<ErrorBody>(tokens.demoAdmin, 'POST', '/users', {
        login: 'weak',
        name: 'Weak Password',
        password: 'weak12345',
        roles: ['operator'],
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('VALIDATION_FAILED');
      expect(res.body.details?.every((d) => d.field === 'password')).toBe(true);
      expect(res.body.details?.map((d) => d.code)).toEqual(
        expect.arrayContaining(['too-short', 'contains-login']),
      );
      const rows: unknown[] = await h.db.query(
        "SELECT id FROM users WHERE tenant_id = 'demo' AND login = 'weak'",
      );
      expect(rows).toHaveLength(0);
    });

    it('validates ids in paths and query parameters', async () => {
      const bad = await api<ErrorBody>(tokens.demoAdmin, 'GET', '/users/not-a-uuid');
      expect(bad.status).toBe(400);
      expect(bad.body.details?.[0]?.field).toBe('id');
      const query = await api<ErrorBody>(tokens.demoAdmin, 'GET', '/users?limit=500&active=maybe');
      expect(query.status).toBe(400);
      expect(query.body.details?.map((d) => d.field)).toEqual(['active', 'limit']);
    });
  });

  describe('authorization', () => {
    it('answers an operator 403 on every admin route; the admin of the same tenant gets 200', async () => {
      for (const path of ['/users', '/clients', '/audit']) {
        const denied = await api<ErrorBody>(tokens.demoOperator, 'GET', path);
        expect([path, denied.status, denied.body.error]).toEqual([path, 403, 'FORBIDDEN']);
        expect((await api(tokens.demoAdmin, 'GET', path)).status).toBe(200);
      }
    });

    it('answers 401 without a token', async () => {
      const res = await fetch(`${h.url}/api/v1/sso/users`);
      expect(res.status).toBe(401);
    });

    it('answers another tenant’s user id with 404, and the same route in its own tenant with 200', async () => {
      const acmeOp1 = await userId('acme', 'op1');
      const get = await api<ErrorBody>(tokens.demoAdmin, 'GET', `/users/${acmeOp1}`);
      expect(get.status).toBe(404);
      expect(get.body.error).toBe('NOT_FOUND');
      for (const [method, path, body] of [
        ['PATCH', `/users/${acmeOp1}`, { name: 'Hijacked' }],
        ['POST', `/users/${acmeOp1}/deactivate`, undefined],
        ['POST', `/users/${acmeOp1}/password`, { password: goodPassword }],
        ['POST', `/users/${acmeOp1}/unlock`, undefined],
      ] as const) {
        expect([method, path, (await api(tokens.demoAdmin, method, path, body)).status]).toEqual([
          method,
          path,
          404,
        ]);
      }
      const own = await api<UserDto>(tokens.acmeAdmin, 'GET', `/users/${acmeOp1}`);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ login: 'op1', name: 'Operator 1', active: true, tenantId: 'acme' });
    });

    it('answers another tenant’s client id with 404, and the same route in its own tenant with 200', async () => {
      const other = await api<ErrorBody>(tokens.demoAdmin, 'GET', '/clients/acme-integrator');
      expect(other.status).toBe(404);
      expect((await api(tokens.demoAdmin, 'POST', '/clients/acme-integrator/secret')).status).toBe(404);
      const own = await api<ClientDto>(tokens.acmeAdmin, 'GET', '/clients/acme-integrator');
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ id: 'acme-integrator', kind: 'integrator', roles: ['integrator'] });
    });

    it('lists only the caller’s tenant', async () => {
      const res = await api<UserListDto>(tokens.demoAdmin, 'GET', '/users?limit=200');
      expect(res.status).toBe(200);
      expect(new Set(res.body.items.map((u) => u.tenantId))).toEqual(new Set(['demo']));
      const ops = await api<UserListDto>(
        tokens.demoAdmin,
        'GET',
        '/users?role=operator&queue=sales&search=%D0%9E%D0%BF',
      );
      expect(ops.body.items.map((u) => u.login)).toEqual(['op1', 'op2', 'op3', 'op4', 'op5']);
      expect(ops.body.total).toBe(5);
      const page = await api<UserListDto>(tokens.demoAdmin, 'GET', '/users?role=operator&limit=2&offset=2');
      expect(page.body).toMatchObject({ total: 5 });
      expect(page.body.items.map((u) => u.login)).toEqual(['op3', 'op4']);
      expect(JSON.stringify(res.body)).not.toContain('argon2');
    });
  });

  describe('users', () => {
    it('creates a user: the row, user.created in the outbox and an audit row with before/after, in one go', async () => {
      const created = await api<UserDto>(
        tokens.demoAdmin,
        'POST',
        '/users',
        {
          login: 'Op7',
          name: 'Оператор 7',
          email: 'op7@example.com',
          password: goodPassword,
          roles: ['operator'],
          extension: '107',
          queues: ['support'],
        },
        { 'x-request-id': 'create-op7' },
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        login: 'op7',
        pbxInterface: 'PJSIP/107',
        queues: ['support'],
        active: true,
      });
      expect(JSON.stringify(created.body)).not.toMatch(/passwordHash|argon2/);
      const id = created.body.id;

      const outbox: OutboxRow[] = await h.db.query(
        'SELECT event_type, message_key, tenant_id, payload FROM outbox WHERE message_key = ?',
        [id],
      );
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({ event_type: 'user.created', tenant_id: 'demo' });
      expect(JSON.parse(outbox[0]!.payload)).toMatchObject({
        type: 'user.created',
        source: 'sso',
        data: { userId: id, login: 'op7', roles: ['operator'], extension: '107', pbxInterface: 'PJSIP/107' },
      });

      const audit: AuditRow[] = await h.db.query(
        `SELECT type, actor_type, actor_id, actor_label, subject_id, before_state, after_state, request_id
           FROM audit_log WHERE tenant_id = 'demo' AND subject_id = ?`,
        [id],
      );
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        type: 'user.created',
        actor_type: 'user',
        actor_id: await userId('demo', 'admin'),
        actor_label: 'admin@demo',
        request_id: 'create-op7',
      });
      expect(JSON.parse(audit[0]!.before_state!)).toBeNull();
      expect(JSON.parse(audit[0]!.after_state!)).toMatchObject({ login: 'op7', email: 'op7@example.com' });
      expect(audit[0]!.after_state).not.toMatch(/passwordHash|argon2/);

      // The audit API shows it too.
      const page = await api<AuditPageDto>(tokens.demoAdmin, 'GET', `/audit?type=user.created&userId=${id}`);
      expect(page.status).toBe(200);
      expect(page.body.items.map((e: AuditEntryDto) => [e.type, e.subject?.id])).toEqual([
        ['user.created', id],
      ]);

      // And the new user can sign in with the password the admin set.
      await expect(signInThroughGateway(h, 'op7@demo', goodPassword)).resolves.toHaveProperty('access_token');
    });

    it('refuses a taken login with 409 CONFLICT', async () => {
      const res = await api<ErrorBody>(tokens.demoAdmin, 'POST', '/users', {
        login: 'OP1',
        name: 'Dup',
        password: goodPassword,
        roles: ['operator'],
      });
      expect(res.status).toBe(409);
      expect(res.body.error).toBe('CONFLICT');
    });

    it('updates with user.updated; deactivates with user.deactivated and then refuses the sign-in', async () => {
      const id = await userId('demo', 'op5');
      const patched = await api<UserDto>(tokens.demoAdmin, 'PATCH', `/users/${id}`, { extension: '115' });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ extension: '115', pbxInterface: 'PJSIP/115' });
      const off = await api<UserDto>(tokens.demoAdmin, 'POST', `/users/${id}/deactivate`);
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      const events: { event_type: string }[] = await h.db.query(
        'SELECT event_type FROM outbox WHERE message_key = ? ORDER BY id',
        [id],
      );
      expect(events.map((e) => e.event_type)).toEqual(['user.created', 'user.updated', 'user.deactivated']);
      await expect(signInThroughGateway(h, 'op5@demo')).rejects.toThrow(/sign-in of op5@demo failed/);
      const on = await api<UserDto>(tokens.demoAdmin, 'POST', `/users/${id}/activate`);
      expect(on.body.active).toBe(true);
    });

    it('does not let an admin deactivate themself or drop their own admin role (409)', async () => {
      const self = await userId('demo', 'admin');
      const off = await api<ErrorBody>(tokens.demoAdmin, 'POST', `/users/${self}/deactivate`);
      expect([off.status, off.body.error]).toEqual([409, 'CANNOT_DEACTIVATE_SELF']);
      const demote = await api<ErrorBody>(tokens.demoAdmin, 'PATCH', `/users/${self}`, {
        roles: ['supervisor'],
      });
      expect([demote.status, demote.body.error]).toEqual([409, 'CANNOT_REMOVE_OWN_ADMIN_ROLE']);
      expect((await api<UserDto>(tokens.demoAdmin, 'GET', `/users/${self}`)).body).toMatchObject({
        active: true,
        roles: ['admin'],
      });
    });

    it('resets a password under the policy; the user signs in with the new one', async () => {
      const id = await userId('demo', 'op4');
      const weak = await api<ErrorBody>(tokens.demoAdmin, 'POST', `/users/${id}/password`, {
        password: 'op4op4op4op4',
      });
      expect(weak.status).toBe(400);
      expect(weak.body.details?.[0]?.field).toBe('password');
      const ok = await api(tokens.demoAdmin, 'POST', `/users/${id}/password`, { password: goodPassword });
      expect(ok.status).toBe(204);
      await expect(signInThroughGateway(h, 'op4@demo', goodPassword)).resolves.toHaveProperty('access_token');
      await expect(signInThroughGateway(h, 'op4@demo', 'demo')).rejects.toThrow(/sign-in of op4@demo failed/);
      const audit: AuditRow[] = await h.db.query(
        "SELECT * FROM audit_log WHERE tenant_id = 'demo' AND subject_id = ? AND type = 'user.password-reset'",
        [id],
      );
      expect(audit).toHaveLength(1);
      expect(`${audit[0]!.before_state}${audit[0]!.after_state}`).not.toMatch(/passwordHash|argon2/);
    });

    it('unlocks an account locked by wrong passwords', async () => {
      for (let i = 0; i < 3; i++) {
        await expect(signInThroughGateway(h, 'op3@demo', 'wrong password')).rejects.toThrow(/failed/);
      }
      // Locked: even the right password is refused.
      await expect(signInThroughGateway(h, 'op3@demo')).rejects.toThrow(/sign-in of op3@demo failed/);
      const id = await userId('demo', 'op3');
      expect((await api(tokens.demoAdmin, 'POST', `/users/${id}/unlock`)).status).toBe(204);
      await expect(signInThroughGateway(h, 'op3@demo')).resolves.toHaveProperty('access_token');
      const audit: { type: string; actor_label: string }[] = await h.db.query(
        "SELECT type, actor_label FROM audit_log WHERE tenant_id = 'demo' AND subject_id = ? AND type = 'user.unlocked'",
        [id],
      );
      expect(audit).toEqual([{ type: 'user.unlocked', actor_label: 'admin@demo' }]);
    });
  });

  describe('clients', () => {
    it('shows an integrator’s secret once; it works for client_credentials at /sso/token', async () => {
      const created = await api<CreatedClientDto>(tokens.demoAdmin, 'POST', '/clients', {
        kind: 'integrator',
        name: 'CRM sync',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ kind: 'integrator', roles: ['integrator'], public: false });
      const { id, clientSecret } = created.body;
      expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);

      const again = await api<ClientDto & { clientSecret?: string }>(
        tokens.demoAdmin,
        'GET',
        `/clients/${id}`,
      );
      expect(again.body.clientSecret).toBeUndefined();
      const listed = await api<{ items: unknown[] }>(tokens.demoAdmin, 'GET', '/clients');
      expect(JSON.stringify(listed.body)).not.toContain(clientSecret!);
      expect(JSON.stringify(listed.body)).not.toContain('sha256$');

      const token = await clientCredentialsToken(h, id, clientSecret!);
      expect(decodeJwt(token.access_token)).toMatchObject({ sub: id, tenant: 'demo', roles: ['integrator'] });

      // A new secret replaces the old one at once.
      const rotated = await api<ClientSecretDto>(tokens.demoAdmin, 'POST', `/clients/${id}/secret`);
      expect(rotated.status).toBe(200);
      await expect(clientCredentialsToken(h, id, clientSecret!)).rejects.toThrow(
        /client_credentials failed: 401/,
      );
      await expect(clientCredentialsToken(h, id, rotated.body.clientSecret)).resolves.toHaveProperty(
        'access_token',
      );

      // A deactivated client gets no tokens.
      expect((await api(tokens.demoAdmin, 'PATCH', `/clients/${id}`, { active: false })).status).toBe(200);
      await expect(clientCredentialsToken(h, id, rotated.body.clientSecret)).rejects.toThrow(/failed/);
    });

    it('creates a public third-party app without a secret, and refuses an http redirect URI', async () => {
      const app = await api<CreatedClientDto>(tokens.demoAdmin, 'POST', '/clients', {
        kind: 'third-party',
        name: 'Portal',
        redirectUris: ['https://portal.example.com/cb'],
        public: true,
      });
      expect(app.status).toBe(201);
      expect(app.body.public).toBe(true);
      expect(app.body.clientSecret).toBeUndefined();
      const bad = await api<ErrorBody>(tokens.demoAdmin, 'POST', '/clients', {
        kind: 'third-party',
        name: 'Portal',
        redirectUris: ['http://portal.example.com/cb'],
      });
      expect(bad.status).toBe(400);
      expect(bad.body.details?.map((d) => d.field)).toEqual(['redirectUris.0']);
    });

    it('the seeded integrator works with its development secret', async () => {
      const token = await clientCredentialsToken(h, 'demo-integrator', 'demo-integrator-secret');
      expect(decodeJwt(token.access_token)).toMatchObject({ tenant: 'demo', roles: ['integrator'] });
    });
  });

  describe('platform administration', () => {
    it('lets the platform admin create a tenant (tenant.created keyed by its id); a tenant admin gets 403', async () => {
      const body = { id: 'city-clinic', name: 'Городская поликлиника', locale: 'ru' };
      const denied = await api<ErrorBody>(tokens.demoAdmin, 'POST', '/tenants', body);
      expect([denied.status, denied.body.error]).toEqual([403, 'FORBIDDEN']);
      expect((await api(tokens.demoAdmin, 'GET', '/tenants')).status).toBe(403);
      expect((await api(tokens.demoAdmin, 'GET', '/tenants/demo')).status).toBe(403);

      const created = await api<CreatedTenantDto>(tokens.platformAdmin, 'POST', '/tenants', {
        ...body,
        admin: { login: 'chief', name: 'Главврач', password: goodPassword },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        id: 'city-clinic',
        active: true,
        admin: { login: 'chief', roles: ['admin'] },
      });
      const events: { event_type: string; tenant_id: string }[] = await h.db.query(
        "SELECT event_type, tenant_id FROM outbox WHERE message_key = 'city-clinic'",
      );
      expect(events).toEqual([{ event_type: 'tenant.created', tenant_id: 'city-clinic' }]);
      const again = await api<ErrorBody>(tokens.platformAdmin, 'POST', '/tenants', body);
      expect([again.status, again.body.error]).toEqual([409, 'CONFLICT']);

      const list = await api<TenantListDto>(tokens.platformAdmin, 'GET', '/tenants');
      expect(list.body.items.map((t) => t.id)).toEqual(['acme', 'city-clinic', 'demo', 'platform']);

      // Its first admin administers it, and only it.
      const chief = (await signInThroughGateway(h, 'chief@city-clinic', goodPassword)).access_token;
      const users = await api<UserListDto>(chief, 'GET', '/users');
      expect(users.body.items.map((u) => `${u.login}@${u.tenantId}`)).toEqual(['chief@city-clinic']);
    });

    it('lets the platform admin deactivate a tenant but not the platform tenant', async () => {
      const off = await api<ErrorBody>(tokens.platformAdmin, 'PATCH', '/tenants/platform', { active: false });
      expect([off.status, off.body.error]).toEqual([409, 'CANNOT_DEACTIVATE_PLATFORM_TENANT']);
      expect((await api(tokens.platformAdmin, 'PATCH', '/tenants/nope', { name: 'x' })).status).toBe(404);
      const renamed = await api(tokens.platformAdmin, 'PATCH', '/tenants/city-clinic', {
        name: 'Поликлиника №1',
      });
      expect(renamed).toMatchObject({ status: 200, body: { name: 'Поликлиника №1' } });
    });

    it('lists keys without key material and rotates them: new tokens are signed with the new key at once', async () => {
      expect((await api(tokens.demoAdmin, 'GET', '/keys')).status).toBe(403);
      expect((await api(tokens.demoAdmin, 'POST', '/keys/rotate')).status).toBe(403);
      const keys = await api<{ items: { kid: string; state: string }[] }>(
        tokens.platformAdmin,
        'GET',
        '/keys',
      );
      expect(keys.status).toBe(200);
      expect(keys.body.items.map((k) => k.state).sort()).toEqual(['current', 'next']);
      expect(JSON.stringify(keys.body)).not.toMatch(/privateJwk|"d"|"n"/);

      const rotated = await api<RotationDto>(tokens.platformAdmin, 'POST', '/keys/rotate');
      expect(rotated.status).toBe(200);
      const token = await clientCredentialsToken(h, 'demo-integrator', 'demo-integrator-secret');
      expect(decodeProtectedHeader(token.access_token).kid).toBe(rotated.body.current);
      const audit: { actor_label: string }[] = await h.db.query(
        "SELECT actor_label FROM audit_log WHERE tenant_id = 'platform' AND type = 'keys.rotated'",
      );
      expect(audit).toEqual([{ actor_label: 'admin@platform' }]);
    });
  });

  describe('OpenAPI', () => {
    let doc: OpenAPIObject;
    beforeAll(() => {
      doc = SwaggerModule.createDocument(h.app, new DocumentBuilder().addBearerAuth().build());
    });

    it('documents every admin route with bearer auth', () => {
      const admin = Object.entries(doc.paths)
        .filter(([path]) => /^\/api\/v1\/sso\/(users|clients|tenants|keys|audit)/.test(path))
        .flatMap(([path, item]) =>
          (['get', 'post', 'patch'] as const)
            .filter((m) => item[m])
            .map((m) => ({ route: `${m.toUpperCase()} ${path}`, security: item[m]!.security })),
        );
      expect(admin.map((r) => r.route).sort()).toEqual(
        [
          'GET /api/v1/sso/audit',
          'GET /api/v1/sso/clients',
          'POST /api/v1/sso/clients',
          'GET /api/v1/sso/clients/{id}',
          'PATCH /api/v1/sso/clients/{id}',
          'POST /api/v1/sso/clients/{id}/secret',
          'GET /api/v1/sso/keys',
          'POST /api/v1/sso/keys/rotate',
          'GET /api/v1/sso/tenants',
          'POST /api/v1/sso/tenants',
          'GET /api/v1/sso/tenants/{id}',
          'PATCH /api/v1/sso/tenants/{id}',
          'GET /api/v1/sso/users',
          'POST /api/v1/sso/users',
          'GET /api/v1/sso/users/{id}',
          'PATCH /api/v1/sso/users/{id}',
          'POST /api/v1/sso/users/{id}/activate',
          'POST /api/v1/sso/users/{id}/deactivate',
          'POST /api/v1/sso/users/{id}/password',
          'POST /api/v1/sso/users/{id}/unlock',
        ].sort(),
      );
      for (const r of admin) expect([r.route, r.security]).toEqual([r.route, [{ bearer: [] }]]);
    });

    it('documents request bodies from the zod schemas, query parameters and response DTOs', () => {
      const post = doc.paths['/api/v1/sso/users']!.post!;
      const body = (post.requestBody as { content: Record<string, { schema: Record<string, unknown> }> })
        .content['application/json']!.schema;
      expect(body).toMatchObject({
        additionalProperties: false,
        required: ['login', 'name', 'password', 'roles'],
      });
      expect(post.responses['201']).toMatchObject({
        content: { 'application/json': { schema: { $ref: '#/components/schemas/UserDto' } } },
      });
      const list = doc.paths['/api/v1/sso/users']!.get!;
      expect((list.parameters as { name: string }[]).map((p) => p.name)).toEqual([
        'search',
        'role',
        'active',
        'queue',
        'limit',
        'offset',
      ]);
      const userDto = doc.components!.schemas!['UserDto'] as { properties: Record<string, unknown> };
      expect(Object.keys(userDto.properties)).toContain('pbxInterface');
      expect(Object.keys(userDto.properties)).not.toContain('passwordHash');
    });
  });

  describe('development seed', () => {
    it('is idempotent: a second run creates, changes and emits nothing', async () => {
      const count = async (sql: string): Promise<number> => {
        const rows: { n: number | string }[] = await h.db.query(sql);
        return Number(rows[0]?.n);
      };
      const counts = () =>
        Promise.all(
          [
            'SELECT COUNT(*) AS n FROM tenants',
            'SELECT COUNT(*) AS n FROM users',
            'SELECT COUNT(*) AS n FROM oidc_clients',
            'SELECT COUNT(*) AS n FROM outbox',
            // Only the seed's own entries: sign-ins and token grants of other tests are audited asynchronously.
            "SELECT COUNT(*) AS n FROM audit_log WHERE actor_label = 'dev-seed'",
          ].map(count),
        );
      const before = await counts();
      const hashes: unknown = await h.db.query(
        "SELECT password_hash FROM users WHERE tenant_id = 'acme' ORDER BY id",
      );

      const rows = await seedDevelopmentData(h.db);

      expect(rows.filter((r) => r.status !== 'kept')).toEqual([]);
      expect(rows).toHaveLength(3 + 17 + 2); // tenants, users, integrator clients
      expect(await counts()).toEqual(before);
      expect(
        await h.db.query("SELECT password_hash FROM users WHERE tenant_id = 'acme' ORDER BY id"),
      ).toEqual(hashes);
      // The first run emitted one event per seeded tenant and user, and the second none.
      expect(
        await count(
          "SELECT COUNT(*) AS n FROM outbox WHERE event_type = 'tenant.created' AND tenant_id IN ('platform', 'demo', 'acme')",
        ),
      ).toBe(3);
      expect(
        await count(
          "SELECT COUNT(*) AS n FROM outbox WHERE event_type = 'user.created' AND tenant_id = 'acme'",
        ),
      ).toBe(8);
      expect(
        await count(
          "SELECT COUNT(*) AS n FROM outbox WHERE event_type = 'user.created' AND tenant_id = 'platform'",
        ),
      ).toBe(1);
    });

    it('with reset, restores what admins changed (user.updated where other services see it), then is idempotent', async () => {
      const op5 = await userId('demo', 'op5');
      const op4 = await userId('demo', 'op4');
      expect((await api(tokens.demoAdmin, 'PATCH', `/users/${op5}`, { extension: '125' })).status).toBe(200);
      expect(
        (await api(tokens.demoAdmin, 'POST', `/users/${op4}/password`, { password: goodPassword })).status,
      ).toBe(204);
      const rows = await seedDevelopmentData(h.db, { reset: true });
      const changed = rows.filter((r) => r.status !== 'kept').map((r) => r.id);
      expect(changed).toEqual(['op4@demo', 'op5@demo']);

      const user = await api<UserDto>(tokens.demoAdmin, 'GET', `/users/${op5}`);
      expect(user.body).toMatchObject({ extension: '105', pbxInterface: 'PJSIP/105', active: true });
      const events: { event_type: string; message_key: string }[] = await h.db.query(
        'SELECT event_type, message_key FROM outbox WHERE message_key IN (?, ?) ORDER BY id',
        [op5, op4],
      );
      expect(events.filter((e) => e.message_key === op4).map((e) => e.event_type)).toEqual(['user.created']);
      expect(
        events
          .filter((e) => e.message_key === op5)
          .map((e) => e.event_type)
          .at(-1),
      ).toBe('user.updated');
      await expect(signInThroughGateway(h, 'op4@demo', 'demo')).resolves.toHaveProperty('access_token');

      const again = await seedDevelopmentData(h.db, { reset: true });
      expect(again.filter((r) => r.status !== 'kept')).toEqual([]);
    });
  });
});
