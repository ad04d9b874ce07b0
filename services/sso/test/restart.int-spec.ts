import { randomBytes } from 'node:crypto';
import { freePort, getTestInfra, type TestDatabase } from '@okc/testing';
import { GATEWAY_CLIENT_ID } from '../src/oidc/oidc.constants';
import { addTenant, addUser } from './support/fixtures';
import { followWithin, HttpSession, locationOf } from '@okc/testing';
import {
  createSsoDatabase,
  exchangeCode,
  gatewayAuthorizeUrl,
  pkce,
  type SsoHarness,
  startSsoHarness,
} from './support/sso-harness';

/**
 * Everything oidc-provider keeps (sessions, grants, refresh tokens) and the signing keys live in the
 * database: after an sso restart the browser is still signed in, a refresh token still works, and the
 * same key still signs.
 */
describe('sso restart', () => {
  let database: TestDatabase;
  let first: SsoHarness | undefined;
  let second: SsoHarness | undefined;

  beforeAll(async () => {
    database = await createSsoDatabase(await getTestInfra(), `restart_${randomBytes(3).toString('hex')}`);
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
  });

  const authorizeUrl = (h: SsoHarness, challenge: string) =>
    gatewayAuthorizeUrl(h, challenge, 'openid profile offline_access');

  it('keeps the browser session, the refresh token and the signing key across a restart', async () => {
    const port = await freePort();
    first = await startSsoHarness({ name: 'restart1', database, port });
    await addTenant(first.db, 'demo');
    const user = await addUser(first.db, 'demo', 'op3', ['operator']);

    const browser = new HttpSession();
    const p1 = pkce();
    const form = locationOf(await browser.get(authorizeUrl(first, p1.challenge)), first.url);
    const posted = await browser.postForm(`${form}/login`, { login: 'op3@demo', password: user.password });
    const back = await followWithin(browser, locationOf(posted, first.url), first.issuer);
    const code = new URL(locationOf(back, first.url)).searchParams.get('code')!;
    const tokens = await exchangeCode(first, code, p1.verifier);
    const jwksBefore = await (await fetch(`${first.issuer}/jwks`)).json();
    await first.close();
    first = undefined;

    second = await startSsoHarness({ name: 'restart2', database, port });
    expect(await (await fetch(`${second.issuer}/jwks`)).json()).toEqual(jwksBefore);

    // Signed in still: straight back to the client with a code, no sign-in form.
    const p2 = pkce();
    const again = await followWithin(browser, authorizeUrl(second, p2.challenge), second.issuer);
    const code2 = new URL(locationOf(again, second.url)).searchParams.get('code');
    expect(code2).toEqual(expect.any(String));
    const tokens2 = await exchangeCode(second, code2!, p2.verifier);
    expect(tokens2.access_token).toEqual(expect.any(String));

    // The refresh token issued before the restart still works (once: it rotates).
    const refreshed = await fetch(`${second.issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${GATEWAY_CLIENT_ID}:${second.env.SSO_GATEWAY_CLIENT_SECRET!}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
      }).toString(),
    });
    expect(refreshed.status).toBe(200);
  });
});
