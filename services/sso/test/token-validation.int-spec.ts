import { createHmac, createPublicKey, type JsonWebKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, importJWK, SignJWT, type JWTPayload } from 'jose';
import { TokenVerifier } from '@okc/auth';
import { SigningKeysService } from '../src/keys/signing-keys.service';
import { generateSigningJwk, type PrivateSigningJwk } from '../src/keys/key-crypto';
import { OidcHostService } from '../src/oidc/oidc-host.service';
import { addClient, addTenant, addUser, type ClientFixture } from './support/fixtures';
import { startFocus } from './support/other-service';
import type { ServiceProcess } from '@okc/testing';
import {
  clientCredentialsToken,
  signInThroughGateway,
  type SsoHarness,
  startSsoHarness,
} from './support/sso-harness';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Tokens from the real sso, checked by libs/auth inside another real service (focus): an integrator's
 * client-credentials token is accepted, and each kind of bad token is refused with 401 (or 403 for a
 * missing role, 404 for another tenant's resource), each next to an allowed control request.
 */
describe('access tokens of sso, validated by libs/auth in another service', () => {
  let h: SsoHarness;
  let focus: ServiceProcess;
  let integrator: ClientFixture;
  let signing: PrivateSigningJwk;
  let good: string;
  let goodClaims: JWTPayload;

  beforeAll(async () => {
    h = await startSsoHarness({ name: 'tokens' });
    await addTenant(h.db, 'demo');
    await addTenant(h.db, 'acme');
    integrator = await addClient(h.db, 'demo', 'integrator');
    focus = await startFocus(h);
    good = (await clientCredentialsToken(h, integrator.id, integrator.secret!)).access_token;
    goodClaims = decodeJwt(good);
    signing = (await h.app.get(SigningKeysService).loadActiveSet()).current;
  });

  afterAll(async () => {
    await focus?.close();
    await h?.close();
  });

  const whoami = (token?: string) =>
    fetch(`${focus.url}/api/v1/focus/whoami`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  /** A token signed with sso's real current key, with the claims changed. */
  async function forge(claims: Partial<JWTPayload>, header: Record<string, unknown> = {}): Promise<string> {
    const key = await importJWK(signing, 'RS256');
    return new SignJWT({ ...goodClaims, ...claims })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: signing.kid, ...header })
      .sign(key);
  }

  it('accepts an integrator client-credentials token in focus (the control for every case below)', async () => {
    expect(goodClaims).toMatchObject({
      iss: h.issuer,
      aud: 'okc-api',
      sub: integrator.id,
      client_id: integrator.id,
      tenant: 'demo',
      roles: ['integrator'],
    });
    const res = await whoami(good);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      subject: integrator.id,
      tenantId: 'demo',
      roles: ['integrator'],
    });
    // A forged copy with unchanged claims is accepted too: the forging itself is sound.
    expect((await whoami(await forge({}))).status).toBe(200);
  });

  it('refuses a request without a token, naming the scheme', async () => {
    const res = await whoami();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, () => Promise<string>][] = [
    ['expired', () => forge({ iat: now() - 1200, exp: now() - 600 })],
    ['not yet valid', () => forge({ nbf: now() + 600 })],
    ['wrong audience', () => forge({ aud: 'another-api' })],
    ['wrong issuer', () => forge({ iss: 'http://evil.example/sso' })],
    ['alg none', () => Promise.resolve(`${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(goodClaims)}.`)],
    [
      'HS256 signed with the public key',
      () => {
        const pem = createPublicKey({ key: signing as unknown as JsonWebKey, format: 'jwk' }).export({
          type: 'spki',
          format: 'pem',
        });
        const input = `${b64({ alg: 'HS256', typ: 'at+jwt', kid: signing.kid })}.${b64(goodClaims)}`;
        return Promise.resolve(`${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`);
      },
    ],
    [
      'tampered payload',
      () => {
        const [header, , signature] = good.split('.');
        return Promise.resolve(`${header}.${b64({ ...goodClaims, roles: ['admin'] })}.${signature}`);
      },
    ],
    [
      'unknown kid',
      async () => {
        const stranger = await generateSigningJwk();
        return new SignJWT({ ...goodClaims })
          .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: stranger.kid })
          .sign(await importJWK(stranger, 'RS256'));
      },
    ],
    ['wrong typ (an ID token is not an access token)', () => forge({}, { typ: 'JWT' })],
  ];

  it.each(cases)('refuses a token that is %s with 401', async (_name, make) => {
    const res = await whoami(await make());
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
    const body = (await res.json()) as { error: string };
    expect(body.error).toBe('UNAUTHORIZED');
    // The control: the genuine token still passes right after.
    expect((await whoami(good)).status).toBe(200);
  });

  it("refuses tenant A's token on tenant B's resource with 404, and allows it on A's", async () => {
    const adminA = await addUser(h.db, 'demo', 'admin', ['admin']);
    const userB = await addUser(h.db, 'acme', 'op1', ['operator']);
    const userA = await addUser(h.db, 'demo', 'op1', ['operator']);
    const token = (await signInThroughGateway(h, 'admin@demo', adminA.password)).access_token;
    const get = (id: string) =>
      fetch(`${h.url}/api/v1/sso/users/${id}`, { headers: { authorization: `Bearer ${token}` } });
    expect((await get(userB.id)).status).toBe(404);
    const own = await get(userA.id);
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ id: userA.id, login: 'op1' });
  });

  it('answers 403 when the role is missing, 200 when present', async () => {
    const op = await addUser(h.db, 'demo', 'op9', ['operator']);
    const admin = await addUser(h.db, 'demo', 'admin9', ['admin']);
    const opToken = (await signInThroughGateway(h, 'op9@demo', op.password)).access_token;
    const adminToken = (await signInThroughGateway(h, 'admin9@demo', admin.password)).access_token;
    const list = (token: string) =>
      fetch(`${h.url}/api/v1/sso/users`, { headers: { authorization: `Bearer ${token}` } });
    expect((await list(opToken)).status).toBe(403);
    expect((await list(adminToken)).status).toBe(200);
  });

  const publishedKids = async () =>
    ((await (await fetch(`${h.issuer}/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);

  it('rotates keys: old tokens still validate, new tokens carry the new kid', async () => {
    const before = decodeProtectedHeader(good).kid;
    // The key that will sign next is already published, so every verifier has it before its first token.
    const upcoming = (await h.app.get(SigningKeysService).list()).find((k) => k.state === 'next')!.kid;
    expect(await publishedKids()).toEqual(expect.arrayContaining([before, upcoming]));
    const rotation = await h.app.get(SigningKeysService).rotate('test');
    await h.app.get(OidcHostService).reload();
    expect(rotation.retired).toBe(before);
    expect(rotation.current).toBe(upcoming);

    const jwks = (await (await fetch(`${h.issuer}/jwks`)).json()) as { keys: { kid: string; d?: string }[] };
    const kids = jwks.keys.map((k) => k.kid);
    expect(kids).toEqual(expect.arrayContaining([before, rotation.current, rotation.next]));
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);

    const fresh = (await clientCredentialsToken(h, integrator.id, integrator.secret!)).access_token;
    expect(decodeProtectedHeader(fresh).kid).toBe(rotation.current);
    expect((await whoami(fresh)).status).toBe(200);
    // The token signed before the rotation is still good until it expires.
    expect((await whoami(good)).status).toBe(200);
  });

  it('drops a retired key from JWKS once its last token has expired, and its tokens with it', async () => {
    const retired = decodeProtectedHeader(good).kid!;
    // Time travel for the key: its retirement period is over.
    await h.db.query('UPDATE signing_keys SET expires_at = ? WHERE kid = ?', [
      new Date(Date.now() - 1000),
      retired,
    ]);
    await h.app.get(SigningKeysService).maintain();
    await h.app.get(OidcHostService).reload();
    expect(await publishedKids()).not.toContain(retired);
    // A verifier that fetches the keys now (focus's cache keeps a removed key up to its cache age, which is
    // harmless in production: a key is removed only after its tokens have expired) refuses the old token.
    const verifier = new TokenVerifier({ issuer: h.issuer, audience: 'okc-api', jwksCooldownMs: 0 });
    await expect(verifier.verify(good)).rejects.toMatchObject({ reason: 'unknown-key' });
    // The control: a token of the current key still passes.
    const fresh = (await clientCredentialsToken(h, integrator.id, integrator.secret!)).access_token;
    expect((await whoami(fresh)).status).toBe(200);
  });
});
