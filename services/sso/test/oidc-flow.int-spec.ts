import { randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { GATEWAY_CLIENT_ID } from '../src/oidc/oidc.constants';
import { addClient, addTenant, addUser, type ClientFixture, type UserFixture } from './support/fixtures';
import { followWithin, HttpSession, locationOf } from '@okc/testing';
import { GATEWAY_SECRET, type SsoHarness, startSsoHarness } from './support/sso-harness';

/**
 * The authorization code + PKCE flow end to end, with openid-client as the relying party (the library
 * our gateway uses) and a cookie-keeping HTTP session as the browser: discovery, the sign-in form,
 * consent, code exchange, ID-token validation, userinfo, refresh with rotation, and RP-initiated logout.
 */
describe('OpenID Connect flow (openid-client as the relying party)', () => {
  let h: SsoHarness;
  let app: ClientFixture;
  let user: UserFixture;
  const redirectUri = 'http://127.0.0.1:9/rp/callback';
  const postLogoutUri = 'http://127.0.0.1:9/rp/signed-out';

  beforeAll(async () => {
    h = await startSsoHarness({ name: 'flow' });
    await addTenant(h.db, 'demo');
    user = await addUser(h.db, 'demo', 'op1', ['operator'], { password: 'correct horse battery' });
    app = await addClient(h.db, 'demo', 'third-party', {
      redirectUris: [redirectUri],
      postLogoutRedirectUris: [postLogoutUri],
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  async function relyingParty(clientId: string, secret: string): Promise<oidc.Configuration> {
    return oidc.discovery(new URL(h.issuer), clientId, secret, undefined, {
      execute: [oidc.allowInsecureRequests],
    });
  }

  /** The browser part: follow to the sign-in page, post the form, consent if asked, stop at the callback. */
  async function browserSignIn(
    authUrl: URL,
    browser: HttpSession,
    login: string,
    password: string,
    callbackPrefix: string,
  ): Promise<{ callback: string; sawConsent: boolean }> {
    const toLogin = await browser.get(authUrl.toString());
    expect(toLogin.status).toBe(303);
    const loginUrl = locationOf(toLogin, h.url);
    expect(loginUrl).toMatch(/\/sso\/interaction\/[\w-]+$/);
    const page = await browser.get(loginUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="password"');
    let res = await browser.postForm(`${loginUrl}/login`, { login, password });
    expect(res.status).toBe(303);
    let next = locationOf(res, h.url);
    // Follow sso's own redirects; stop at the client's callback or at a page (consent).
    const follow = async () => {
      while (next.startsWith(h.url)) {
        res = await browser.get(next);
        if (res.status < 300 || res.status >= 400) return;
        next = locationOf(res, h.url);
      }
    };
    await follow();
    let sawConsent = false;
    if (!next.startsWith(callbackPrefix)) {
      // A third-party application: the consent page.
      sawConsent = true;
      expect(res.status).toBe(200);
      expect(next).toMatch(/\/sso\/interaction\/[\w-]+$/);
      const html = await res.text();
      expect(html).toContain('value="allow"');
      res = await browser.postForm(`${next}/consent`, { decision: 'allow' });
      expect(res.status).toBe(303);
      next = locationOf(res, h.url);
      await follow();
    }
    expect(next.startsWith(callbackPrefix)).toBe(true);
    return { callback: next, sawConsent };
  }

  it('signs a user in to a third-party app: consent, ID token, userinfo, refresh, logout', async () => {
    const config = await relyingParty(app.id, app.secret!);
    expect(config.serverMetadata().issuer).toBe(h.issuer);
    expect(config.serverMetadata().code_challenge_methods_supported).toEqual(['S256']);

    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const authUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile email okc offline_access',
      prompt: 'consent',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const browser = new HttpSession();
    const { callback, sawConsent } = await browserSignIn(
      authUrl,
      browser,
      'op1@demo',
      user.password,
      redirectUri,
    );
    expect(sawConsent).toBe(true);

    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims()!;
    expect(idClaims).toMatchObject({ iss: h.issuer, aud: app.id, sub: user.id, nonce });
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const info = await oidc.fetchUserInfo(config, tokens.access_token, user.id);
    expect(info).toMatchObject({
      sub: user.id,
      preferred_username: 'op1',
      name: 'User op1',
      email: 'op1@demo.example',
      tenant: 'demo',
      roles: ['operator'],
    });

    // Refresh rotates: the new refresh token works, the old one is spent.
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });

    // The same browser signs in to a second client (the gateway) without the form: one SSO session.
    const gateway = await relyingParty(GATEWAY_CLIENT_ID, GATEWAY_SECRET);
    const gatewayVerifier = oidc.randomPKCECodeVerifier();
    const silent = await followWithin(
      browser,
      oidc
        .buildAuthorizationUrl(gateway, {
          redirect_uri: h.gatewayRedirectUri,
          scope: 'openid offline_access',
          code_challenge: await oidc.calculatePKCECodeChallenge(gatewayVerifier),
          code_challenge_method: 'S256',
          state: 'gw',
        })
        .toString(),
      h.issuer,
    );
    const gatewayTokens = await oidc.authorizationCodeGrant(gateway, new URL(locationOf(silent, h.url)), {
      pkceCodeVerifier: gatewayVerifier,
      expectedState: 'gw',
    });
    expect(gatewayTokens.refresh_token).toEqual(expect.any(String));

    // RP-initiated logout: the confirmation page, then "yes" ends the session for every client.
    const endSession = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: postLogoutUri,
      state: 'bye',
    });
    const confirm = await browser.get(endSession.toString());
    expect(confirm.status).toBe(200);
    const confirmHtml = await confirm.text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirmHtml)?.[1];
    const action = /<form[^>]*action="([^"]+)"/.exec(confirmHtml)?.[1];
    expect(xsrf).toBeTruthy();
    expect(action).toBeTruthy();
    const loggedOut = await browser.postForm(new URL(action!, h.url).toString(), {
      xsrf: xsrf!,
      logout: 'yes',
    });
    expect(loggedOut.status).toBe(303);
    expect(locationOf(loggedOut, h.url)).toBe(`${postLogoutUri}?state=bye`);

    // Every client's grant is gone: the app's rotated refresh token and the gateway's no longer work.
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await expect(oidc.refreshTokenGrant(gateway, gatewayTokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    // And the browser has no session: a new authorization request asks to sign in again.
    const again = await browser.get(
      oidc
        .buildAuthorizationUrl(config, {
          redirect_uri: redirectUri,
          scope: 'openid',
          code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
          code_challenge_method: 'S256',
          state: 'x',
        })
        .toString(),
    );
    expect(locationOf(again, h.url)).toMatch(/\/sso\/interaction\//);
    const audit: { type: string }[] = await h.db.query(
      'SELECT type FROM audit_log WHERE tenant_id = ? ORDER BY id',
      ['demo'],
    );
    const types = audit.map((a) => a.type);
    expect(types).toEqual(
      expect.arrayContaining(['sign-in.succeeded', 'consent.granted', 'token.issued', 'sign-out']),
    );
  });

  it('gives the gateway (first party) an okc-api JWT without a consent page, and a session survives', async () => {
    const config = await relyingParty(GATEWAY_CLIENT_ID, GATEWAY_SECRET);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const authUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: h.gatewayRedirectUri,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const browser = new HttpSession();
    const { callback, sawConsent } = await browserSignIn(
      authUrl,
      browser,
      'op1@demo',
      user.password,
      h.gatewayRedirectUri,
    );
    expect(sawConsent).toBe(false);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ typ: 'at+jwt', alg: 'RS256' });
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({
      iss: h.issuer,
      aud: 'okc-api',
      sub: user.id,
      tenant: 'demo',
      roles: ['operator'],
      name: 'User op1',
      preferred_username: 'op1',
      client_id: GATEWAY_CLIENT_ID,
    });
    const lifetime = claims.exp! - claims.iat!;
    expect(lifetime).toBeGreaterThanOrEqual(300);
    expect(lifetime).toBeLessThanOrEqual(900);
    expect(tokens.refresh_token).toEqual(expect.any(String));

    // Signed in once: a second authorization request goes straight back with a code (SSO).
    const second = oidc.buildAuthorizationUrl(config, {
      redirect_uri: h.gatewayRedirectUri,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      state: 's2',
    });
    const res = await followWithin(browser, second.toString(), h.issuer);
    expect(locationOf(res, h.url)).toContain(`${h.gatewayRedirectUri}?code=`);
  });

  it('refuses an authorization request without PKCE, or with the plain method', async () => {
    const base = {
      client_id: GATEWAY_CLIENT_ID,
      response_type: 'code',
      redirect_uri: h.gatewayRedirectUri,
      scope: 'openid',
      state: 'x',
    };
    const variants: Record<string, string>[] = [
      {},
      { code_challenge: randomBytes(32).toString('base64url'), code_challenge_method: 'plain' },
    ];
    for (const extra of variants) {
      const res = await fetch(`${h.issuer}/auth?${new URLSearchParams({ ...base, ...extra }).toString()}`, {
        redirect: 'manual',
      });
      expect(res.status).toBe(303);
      const location = new URL(res.headers.get('location')!);
      expect(location.searchParams.get('error')).toBe('invalid_request');
    }
  });

  it('does not let a user of another tenant into a tenant-bound application', async () => {
    await addTenant(h.db, 'acme');
    const stranger = await addUser(h.db, 'acme', 'op1', ['operator']);
    const config = await relyingParty(app.id, app.secret!);
    const verifier = oidc.randomPKCECodeVerifier();
    const authUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'st',
    });
    const browser = new HttpSession();
    const toLogin = await browser.get(authUrl.toString());
    const loginUrl = locationOf(toLogin, h.url);
    const posted = await browser.postForm(`${loginUrl}/login`, {
      login: 'op1@acme',
      password: stranger.password,
    });
    const back = await followWithin(browser, locationOf(posted, h.url), h.issuer);
    const callback = new URL(locationOf(back, h.url));
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('code')).toBeNull();
  });
});
