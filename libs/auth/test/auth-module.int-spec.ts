import { Controller, Get } from '@nestjs/common';
import { startTestIssuer, type TestIssuer } from '../src/testing';
import { AboutModule } from '@okc/runtime';
import { type AuthPrincipal, CurrentUser, Public, Roles, TenantId, TenantParam } from '../src';
import { type AuthTestApp, startAuthTestApp } from './support';

@Controller('things')
class ThingsController {
  @Get()
  list(@CurrentUser() user: AuthPrincipal): { subject: string; roles: readonly string[] } {
    return { subject: user.subject, roles: user.roles };
  }

  @Get('admin')
  @Roles('admin')
  admin(): { admin: true } {
    return { admin: true };
  }

  @Get('supervision')
  @Roles('supervisor', 'admin')
  supervision(): { supervision: true } {
    return { supervision: true };
  }

  @Get('public')
  @Public()
  open(): { public: true } {
    return { public: true };
  }

  @Get('tenant')
  tenant(@TenantId() tenantId: string): { tenantId: string } {
    return { tenantId };
  }
}

@Public()
@Controller('open')
class OpenController {
  @Get()
  open(): { open: true } {
    return { open: true };
  }
}

@Controller('tenants/:tenant/things')
class TenantThingsController {
  @Get()
  list(@TenantParam('tenant') tenantId: string): { tenantId: string; things: string[] } {
    return { tenantId, things: [`${tenantId}-thing`] };
  }
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
  challenge: string | null;
}

describe('AuthModule in a service', () => {
  let issuer: TestIssuer;
  let t: AuthTestApp;
  let operator: string;
  let admin: string;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    t = await startAuthTestApp({
      env: issuer.env,
      controllers: [ThingsController, OpenController, TenantThingsController],
      imports: [AboutModule.forApi('api/v1/test')],
    });
    operator = await issuer.mint({ sub: 'op-1', tenant: 'acme', roles: ['operator'] });
    admin = await issuer.mint({ sub: 'adm-1', tenant: 'acme', roles: ['admin'] });
  });
  afterAll(async () => {
    await t?.close();
    await issuer?.close();
  });

  async function get(path: string, token?: string, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await fetch(`${t.url}${path}`, {
      headers: { ...headers, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    });
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown>,
      challenge: res.headers.get('www-authenticate'),
    };
  }

  describe('authentication', () => {
    it('answers 401 with a bare Bearer challenge without a token', async () => {
      const res = await get('/things');
      expect(res.status).toBe(401);
      expect(res.challenge).toBe('Bearer realm="okc"');
      expect(res.body).toEqual({
        error: 'UNAUTHORIZED',
        message: 'An access token is required',
        details: { reason: 'missing-token' },
        requestId: expect.any(String),
      });
    });

    it('answers 401 invalid_token, saying why, for a rejected token', async () => {
      const expired = await issuer.mint({ tenant: 'acme', roles: ['operator'], expiresInSec: -600 });
      const res = await get('/things', expired);
      expect(res.status).toBe(401);
      expect(res.challenge).toBe(
        'Bearer realm="okc", error="invalid_token", error_description="The access token has expired"',
      );
      expect(res.body).toMatchObject({ error: 'UNAUTHORIZED', details: { reason: 'expired' } });
    });

    it('answers 401 invalid_request for an Authorization header that is not "Bearer <token>"', async () => {
      const res = await get('/things', undefined, { authorization: `Bearer ${operator} extra` });
      expect(res.status).toBe(401);
      expect(res.challenge).toMatch(/^Bearer realm="okc", error="invalid_request"/);
      expect(res.body).toMatchObject({ details: { reason: 'malformed' } });
    });

    it('ignores a token in the query string', async () => {
      const res = await get(`/things?access_token=${operator}`);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ details: { reason: 'missing-token' } });
    });

    it('answers 200 with a valid token, the principal in @CurrentUser()', async () => {
      const res = await get('/things', operator);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ subject: 'op-1', roles: ['operator'] });
    });

    it('gives @TenantId() the tenant of the token', async () => {
      const other = await issuer.mint({ tenant: 'globex', roles: ['operator'] });
      expect((await get('/things/tenant', other)).body).toEqual({ tenantId: 'globex' });
    });
  });

  describe('roles', () => {
    it('answers 403 naming the required roles when the token lacks them', async () => {
      const res = await get('/things/admin', operator);
      expect(res.status).toBe(403);
      expect(res.challenge).toBeNull();
      expect(res.body).toMatchObject({
        error: 'FORBIDDEN',
        message: 'Requires one of the roles: admin',
        details: { requiredRoles: ['admin'] },
      });
    });

    it('lets an admin in', async () => {
      const res = await get('/things/admin', admin);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ admin: true });
    });

    it('accepts any one of several roles', async () => {
      const supervisor = await issuer.mint({ tenant: 'acme', roles: ['supervisor'] });
      expect((await get('/things/supervision', supervisor)).status).toBe(200);
      expect((await get('/things/supervision', admin)).status).toBe(200);
      expect((await get('/things/supervision', operator)).status).toBe(403);
    });
  });

  describe('public routes', () => {
    it.each([['/things/public'], ['/open'], ['/health/live'], ['/api/v1/test/about']])(
      '%s needs no token',
      async (path) => {
        expect((await get(path)).status).toBe(200);
      },
    );

    it('/metrics needs no token', async () => {
      const res = await fetch(`${t.url}/metrics`);
      expect(res.status).toBe(200);
    });
  });

  describe('tenant-scoped routes', () => {
    it("answers 404 for another tenant's path", async () => {
      const res = await get('/tenants/globex/things', operator);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error: 'NOT_FOUND' });
    });

    it("answers 200 for the token's own tenant", async () => {
      const res = await get('/tenants/acme/things', operator);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ tenantId: 'acme', things: ['acme-thing'] });
    });

    it('still needs a token', async () => {
      expect((await get('/tenants/acme/things')).status).toBe(401);
    });
  });

  describe('whoami', () => {
    it('answers the principal', async () => {
      const token = await issuer.mint({
        sub: 'u-7',
        tenant: 'acme',
        roles: ['manager'],
        name: 'Анна',
        preferredUsername: 'anna',
        jti: 'jti-7',
      });
      const res = await get('/api/v1/test/whoami', token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        subject: 'u-7',
        tenantId: 'acme',
        roles: ['manager'],
        name: 'Анна',
        username: 'anna',
        clientId: 'okc-web',
        kind: 'user',
        scope: ['openid'],
        tokenId: 'jti-7',
        expiresAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      });
    });

    it('needs a token', async () => {
      expect((await get('/api/v1/test/whoami')).status).toBe(401);
    });

    it('is in the OpenAPI document, with bearer security', async () => {
      const doc = (await (await fetch(`${t.url}/docs-json`)).json()) as {
        paths: Record<string, { get?: { security?: unknown[] } }>;
      };
      expect(doc.paths['/api/v1/test/whoami']?.get?.security).toEqual([{ bearer: [] }]);
    });
  });

  describe('metrics', () => {
    it('counts verifications by outcome', async () => {
      const text = await (await fetch(`${t.url}/metrics`)).text();
      expect(text).toMatch(
        /okc_auth_token_verifications_total\{outcome="accepted",service="auth-test"\} \d+/,
      );
      expect(text).toMatch(/okc_auth_token_verifications_total\{outcome="expired",service="auth-test"\} 1/);
    });
  });

  // Last: it stops the issuer.
  describe('when the issuer goes away', () => {
    it('keeps accepting tokens of known keys, and answers 503 AUTH_UNAVAILABLE for a new key', async () => {
      const newKey = await issuer.mint({ tenant: 'acme', roles: ['operator'], unpublishedKey: true });
      await issuer.close();

      expect((await get('/things', operator)).status).toBe(200);
      const res = await get('/things', newKey);
      expect(res.status).toBe(503);
      expect(res.challenge).toBeNull();
      expect(res.body).toMatchObject({
        error: 'AUTH_UNAVAILABLE',
        details: { reason: 'issuer-unreachable' },
      });
    });
  });
});

describe('AuthModule without authConfigSchema', () => {
  it('refuses to start, saying what is missing', async () => {
    await expect(startAuthTestApp({ env: {}, withoutAuthConfig: true })).rejects.toThrow(
      /extend the service config schema with authConfigSchema/,
    );
  });
});
