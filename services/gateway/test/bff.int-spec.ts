import type { NestExpressApplication } from '@nestjs/platform-express';
import { createServiceApp } from '@okc/runtime';
import { freePort, HttpSession, locationOf, type OkcStack, startOkcStack, waitFor } from '@okc/testing';
import { unsign } from 'cookie-signature';
import { Redis } from 'ioredis';
import { Server as SocketServer } from 'socket.io';
import { io as ioClient } from 'socket.io-client';
import { AppModule } from '../src/app.module';
import { DEV_SECRETS } from '../src/config';
import { gatewayAppOptions } from '../src/gateway-app';
import { SESSION_COOKIE } from '../src/mount';

/**
 * The backend-for-frontend through real parts: sso and focus as their own processes (sso on a fresh,
 * migrated and seeded database), the gateway in-process in front of them. A browser (cookie jar, no
 * JavaScript) signs in at the gateway, calls focus through `/api`, and signs out.
 */
describe('gateway: browser sessions and the API proxy', () => {
  let stack: OkcStack;
  let gateway: NestExpressApplication;
  let url: string;
  /** The gateway's Redis, with its key prefix: where sessions live. */
  let redis: Redis;
  /** A socket.io server standing in for a service that pushes (helper's place): it records handshakes. */
  let pusher: SocketServer;
  const handshakes: { authorization?: string; cookie?: string }[] = [];

  beforeAll(async () => {
    const pusherPort = await freePort();
    pusher = new SocketServer(pusherPort, { path: '/ws/helper/socket.io' });
    pusher.on('connection', (socket) => {
      handshakes.push({
        authorization: socket.handshake.headers.authorization,
        cookie: socket.handshake.headers.cookie,
      });
      socket.emit('hello', 'from helper');
    });
    stack = await startOkcStack({ name: 'bff' });
    url = stack.url;
    const env: Record<string, string> = {
      ...stack.gatewayEnv,
      STATIX_URL: `http://127.0.0.1:1`, // nothing listens: the proxy's 502
      HELPER_URL: `http://127.0.0.1:${pusherPort}`,
      RATE_LIMIT_CLIENT_PER_MIN: '4',
      HTTP_BODY_LIMIT: '1kb',
    };
    gateway = await createServiceApp(
      AppModule.forRoot({ env, logDestination: { write: () => undefined } }),
      gatewayAppOptions,
    );
    await gateway.listen(stack.gatewayPort, '127.0.0.1');
    // Ready: Redis connected and the consumer group (the tenants' CORS lists) running.
    await waitFor('the gateway to be ready', async () => (await fetch(`${url}/health/ready`)).ok, 60_000);
    redis = new Redis(env['REDIS_URL']!, { keyPrefix: env['REDIS_KEY_PREFIX'], lazyConnect: true });
  });

  afterAll(async () => {
    redis?.disconnect();
    await gateway?.close();
    await pusher?.close();
    await stack?.close();
  });

  /** Signs `login` in through the gateway the way a browser does; answers the session and where it landed. */
  async function signIn(
    login: string,
    returnTo = '/operator/',
  ): Promise<{ browser: HttpSession; landed: string }> {
    const browser = new HttpSession();
    let res = await browser.get(`${url}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
    expect(res.status).toBe(302);
    const before = browser.cookie(SESSION_COOKIE);
    let next = locationOf(res, url);
    expect(next.startsWith(`${url}/sso/auth?`)).toBe(true); // the public issuer, through the gateway
    next = locationOf(await browser.get(next), url); // → the sign-in form
    res = await browser.postForm(`${next}/login`, { login, password: 'demo' });
    expect(res.status).toBe(303);
    next = locationOf(res, url);
    while (next.startsWith(`${url}/sso/`)) next = locationOf(await browser.get(next), url);
    expect(next.startsWith(`${url}/auth/callback?code=`)).toBe(true);
    res = await browser.get(next);
    expect(res.status).toBe(303);
    // A new session id at sign-in (no session fixation).
    expect(browser.cookie(SESSION_COOKIE)).toBeDefined();
    expect(browser.cookie(SESSION_COOKIE)).not.toBe(before);
    return { browser, landed: locationOf(res, url) };
  }

  const me = async (browser: HttpSession) => {
    const res = await browser.get(`${url}/auth/me`);
    return {
      status: res.status,
      body: (await res.json()) as {
        user?: { login: string; tenant: string; roles: string[] };
        csrfToken?: string;
      },
    };
  };

  it('signs op1 in and sends the browser back where it started; /auth/me tells who', async () => {
    const anonymous = await me(new HttpSession());
    expect(anonymous.status).toBe(401);
    const { browser, landed } = await signIn('op1@demo');
    expect(landed).toBe(`${url}/operator/`);
    const signedIn = await me(browser);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ login: 'op1', tenant: 'demo', roles: ['operator'] });
    expect(signedIn.body.csrfToken).toEqual(expect.any(String));
    // The landing page links the apps op1's roles open, and only those.
    const landing = await (await browser.get(`${url}/`)).text();
    expect(landing).toContain('href="/operator/"');
    expect(landing).not.toContain('href="/manager/"');
  });

  it('keeps tokens server-side: the cookie is httpOnly, SameSite=Lax, and carries no token', async () => {
    const browser = new HttpSession();
    const res = await browser.get(`${url}/auth/login?returnTo=/`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie.length).toBeLessThan(200);
  });

  it('proxies /api/focus with the session token, and refuses it without a session', async () => {
    const { browser } = await signIn('op2@demo');
    const res = await browser.get(`${url}/api/focus/whoami`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ username: 'op2', tenantId: 'demo', roles: ['operator'] });
    const anonymous = await fetch(`${url}/api/focus/whoami`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: 'UNAUTHORIZED' });
  });

  it('passes an integrator Bearer token through (the versioned path works the same)', async () => {
    const tokenRes = await fetch(`${url}/sso/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('demo-integrator:demo-integrator-secret').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(tokenRes.status).toBe(200);
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const res = await fetch(`${url}/api/v1/focus/whoami`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ subject: 'demo-integrator', kind: 'client', tenantId: 'demo' });
    const forged = await fetch(`${url}/api/v1/focus/whoami`, {
      headers: { authorization: `Bearer ${token}x` },
    });
    expect(forged.status).toBe(401);
  });

  it('demands the CSRF token on a session request that changes something', async () => {
    const { browser } = await signIn('op3@demo');
    const { body } = await me(browser);
    const without = await browser.request(`${url}/api/focus/whoami`, { method: 'POST' });
    expect(without.status).toBe(403);
    expect(await without.json()).toMatchObject({ error: 'CSRF_TOKEN_INVALID' });
    // With the token the request reaches focus (which has no POST here: its own 404, not the gateway's 403).
    const withToken = await browser.request(`${url}/api/focus/whoami`, {
      method: 'POST',
      headers: { 'x-csrf-token': body.csrfToken! },
    });
    expect(withToken.status).toBe(404);
  });

  /** The Redis key of a browser's session (the signed cookie's id, checked with the dev secret). */
  function sessionKey(browser: HttpSession): string {
    const sid = unsign(
      decodeURIComponent(browser.cookie(SESSION_COOKIE)!).slice(2),
      DEV_SECRETS.SESSION_SECRET,
    );
    if (!sid) throw new Error('the session cookie is not signed with the development secret');
    return `sess:${sid}`;
  }

  it('refreshes a session token about to expire, saves it, and the request goes through', async () => {
    const { browser } = await signIn('op2@demo');
    const key = sessionKey(browser);
    const saved = JSON.parse((await redis.get(key))!) as {
      okc: { accessToken: string; expiresAt: number };
      csrfToken?: string;
    };
    // As if the access token had 5 s left: inside the refresh margin (60 s).
    saved.okc.expiresAt = Math.floor(Date.now() / 1000) + 5;
    await redis.set(key, JSON.stringify(saved), 'KEEPTTL');
    const res = await browser.get(`${url}/api/focus/whoami`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ username: 'op2', tenantId: 'demo' });
    const after = JSON.parse((await redis.get(key))!) as typeof saved;
    expect(after.okc.accessToken).not.toBe(saved.okc.accessToken);
    expect(after.okc.expiresAt).toBeGreaterThan(Math.floor(Date.now() / 1000) + 60);
    expect(after.csrfToken).toBe(saved.csrfToken);
  });

  it("refuses a session cookie whose signature is not the gateway's, and takes the genuine one", async () => {
    const { browser } = await signIn('op3@demo');
    const genuine = decodeURIComponent(browser.cookie(SESSION_COOKIE)!);
    const sid = genuine.slice(2, genuine.lastIndexOf('.'));
    const call = (value: string) =>
      fetch(`${url}/api/focus/whoami`, {
        headers: { cookie: `${SESSION_COOKIE}=${encodeURIComponent(value)}` },
      });
    expect((await call(`s:${sid}.${'A'.repeat(43)}`)).status).toBe(401);
    expect((await call(`s:${sid}`)).status).toBe(401);
    expect((await call(sid)).status).toBe(401);
    expect((await call(genuine)).status).toBe(200);
  });

  it('signs out: the session ends and the browser is sent to end the SSO session', async () => {
    const { browser } = await signIn('op4@demo');
    const { body } = await me(browser);
    const refused = await browser.request(`${url}/auth/logout`, { method: 'POST' });
    expect(refused.status).toBe(403);
    expect((await me(browser)).status).toBe(200);
    const res = await browser.request(`${url}/auth/logout`, {
      method: 'POST',
      headers: { 'x-csrf-token': body.csrfToken! },
    });
    expect(res.status).toBe(200);
    const { redirectTo } = (await res.json()) as { redirectTo: string };
    expect(redirectTo.startsWith(`${url}/sso/session/end?`)).toBe(true);
    expect((await me(browser)).status).toBe(401);
    expect((await browser.get(`${url}/api/focus/whoami`)).status).toBe(401);
  });

  it('never redirects off-site after sign-in', async () => {
    const { landed } = await signIn('op5@demo', '//evil.example/steal');
    expect(landed).toBe(`${url}/`);
  });

  async function integratorToken(client: string, secret: string): Promise<string> {
    const res = await fetch(`${url}/sso/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    return ((await res.json()) as { access_token: string }).access_token;
  }

  it('rate-limits an integrator client: 429 with Retry-After, other clients unaffected', async () => {
    const acme = await integratorToken('acme-integrator', 'acme-integrator-secret');
    const call = (token: string) =>
      fetch(`${url}/api/v1/focus/whoami`, { headers: { authorization: `Bearer ${token}` } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(acme)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    const limited = await call(acme);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ error: 'RATE_LIMITED' });
    const demo = await integratorToken('demo-integrator', 'demo-integrator-secret');
    expect((await call(demo)).status).toBe(200);
  });

  it('refuses a body over the limit with 413 before forwarding it', async () => {
    const { browser } = await signIn('supervisor@demo', '/supervisor/');
    const { body } = await me(browser);
    const res = await browser.request(`${url}/api/focus/whoami`, {
      method: 'POST',
      headers: { 'x-csrf-token': body.csrfToken!, 'content-type': 'application/json' },
      body: JSON.stringify({ filler: 'x'.repeat(4096) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'PAYLOAD_TOO_LARGE' });
  });

  it('sends security headers with what it serves itself', async () => {
    const res = await fetch(`${url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toBeNull(); // production only (behind TLS)
  });

  it('carries socket.io on /ws/<service> with the session token, and refuses it without a session', async () => {
    const { browser } = await signIn('op1@demo');
    const cookie = `${SESSION_COOKIE}=${browser.cookie(SESSION_COOKIE)!}`;
    const connect = (headers: Record<string, string>) =>
      new Promise<string>((resolve, reject) => {
        const socket = ioClient(url, {
          path: '/ws/helper/socket.io',
          transports: ['websocket'],
          extraHeaders: headers,
          reconnection: false,
        });
        socket.on('hello', (text: string) => {
          socket.close();
          resolve(text);
        });
        socket.on('connect_error', (err) => {
          socket.close();
          reject(err);
        });
      });
    await expect(connect({})).rejects.toThrow();
    expect(handshakes).toHaveLength(0);
    await expect(connect({ cookie })).resolves.toBe('from helper');
    expect(handshakes).toHaveLength(1);
    expect(handshakes[0]!.authorization).toMatch(/^Bearer ey/);
    expect(handshakes[0]!.cookie).toBeUndefined(); // the service gets the token, never the session cookie
  });

  it('documents at /docs the API of every service an integrator may call, and nothing else', async () => {
    const res = await fetch(`${url}/docs-json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: {
        securitySchemes: Record<string, { flows?: { clientCredentials?: { tokenUrl: string } } }>;
      };
      'x-okc-unavailable'?: string[];
    };
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/api/v1/focus/whoami', '/api/v1/sso/whoami', '/api/v1/gateway/about']),
    );
    // sso's admin API is in sso's own document (the control) but admits no integrator: not listed.
    const ssoOwn = (await (await fetch(`${stack.sso.url}/docs-json`)).json()) as { paths: object };
    expect(Object.keys(ssoOwn.paths)).toContain('/api/v1/sso/users');
    expect(paths.filter((path) => path.startsWith('/api/v1/sso/users'))).toEqual([]);
    expect(paths.filter((path) => !path.startsWith('/api/v1/'))).toEqual([]);
    // A service that is down is named, not a broken page (statix points at a closed port here).
    expect(doc['x-okc-unavailable']).toContain('statix');
    expect(doc.components.securitySchemes['clientCredentials']?.flows?.clientCredentials?.tokenUrl).toBe(
      `${url}/sso/token`,
    );
    // What is documented is what an integrator's token can do through the gateway.
    const token = await integratorToken('demo-integrator', 'demo-integrator-secret');
    const call = await fetch(`${url}/api/v1/focus/whoami`, { headers: { authorization: `Bearer ${token}` } });
    expect(call.status).toBe(200);
    const ui = await fetch(`${url}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
  });

  it('keeps CORS closed until a tenant allows an origin, then admits that tenant only, by token', async () => {
    const crm = 'https://crm.demo-clinic.example';
    const preflight = (origin: string, headers = 'authorization') =>
      fetch(`${url}/api/v1/focus/whoami`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': headers,
        },
      });
    const closed = await preflight(crm);
    expect(closed.status).toBe(403);
    expect(closed.headers.get('access-control-allow-origin')).toBeNull();
    expect(await closed.json()).toMatchObject({ error: 'CORS_ORIGIN_NOT_ALLOWED' });

    // The demo tenant's admin registers the CRM as an integrator; a platform admin allows its origin.
    const demoAdmin = (await signIn('admin@demo', '/')).browser;
    const created = await demoAdmin.request(`${url}/api/sso/clients`, {
      method: 'POST',
      headers: { 'x-csrf-token': (await me(demoAdmin)).body.csrfToken!, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'integrator', name: 'CRM' }),
    });
    expect(created.status).toBe(201);
    const crmClient = (await created.json()) as { id: string; clientSecret: string };
    const platform = (await signIn('admin@platform', '/')).browser;
    const patched = await platform.request(`${url}/api/sso/tenants/demo`, {
      method: 'PATCH',
      headers: { 'x-csrf-token': (await me(platform)).body.csrfToken!, 'content-type': 'application/json' },
      body: JSON.stringify({ corsOrigins: [crm] }),
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ corsOrigins: [crm] });

    // sso → tenant.updated → Kafka → the gateway's Redis copy: the preflight opens for that origin.
    const open = await waitFor(
      'the preflight to be allowed',
      async () => {
        const res = await preflight(crm);
        return res.status === 204 ? res : undefined;
      },
      30_000,
    );
    expect(open.headers.get('access-control-allow-origin')).toBe(crm);
    expect(open.headers.get('access-control-allow-methods')).toContain('GET');
    expect(open.headers.get('access-control-allow-credentials')).toBeNull();
    expect((await preflight(crm, 'authorization, x-secret-header')).status).toBe(403);
    expect((await preflight('https://evil.example')).status).toBe(403);

    const call = (token: string | undefined, origin: string, cookie?: string) =>
      fetch(`${url}/api/v1/focus/whoami`, {
        headers: {
          origin,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(cookie ? { cookie } : {}),
        },
      });
    const crmToken = await integratorToken(crmClient.id, crmClient.clientSecret);
    const allowed = await call(crmToken, crm);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(crm);
    expect(await allowed.json()).toMatchObject({ subject: crmClient.id, tenantId: 'demo' });
    // Another origin with the same token; the same origin with another tenant's token: refused.
    const evil = await call(crmToken, 'https://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const acme = await integratorToken('acme-integrator', 'acme-integrator-secret');
    const otherTenant = await call(acme, crm);
    expect(otherTenant.status).toBe(403);
    expect(await otherTenant.json()).toMatchObject({ error: 'CORS_ORIGIN_NOT_ALLOWED' });
    // The session cookie never works cross-origin, even from an allowed origin; same-origin it does.
    const cookie = `${SESSION_COOKIE}=${demoAdmin.cookie(SESSION_COOKIE)!}`;
    expect((await call(undefined, crm, cookie)).status).toBe(403);
    expect((await call(undefined, url, cookie)).status).toBe(200);
  });

  it('answers bad routes and methods with JSON: 405, 404, and 502 for a service that is down', async () => {
    const wrongMethod = await fetch(`${url}/auth/logout`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(await wrongMethod.json()).toMatchObject({ error: 'METHOD_NOT_ALLOWED' });
    const noService = await fetch(`${url}/api/nosuch/x`);
    expect(noService.status).toBe(404);
    expect(await noService.json()).toMatchObject({ error: 'NOT_FOUND' });
    const tokenRes = await fetch(`${url}/sso/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('demo-integrator:demo-integrator-secret').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const down = await fetch(`${url}/api/statix/whoami`, { headers: { authorization: `Bearer ${token}` } });
    expect(down.status).toBe(502);
    expect(await down.json()).toMatchObject({ error: 'BAD_GATEWAY' });
  });
});
