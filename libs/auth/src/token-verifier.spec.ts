import { createHmac, createPublicKey } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { waitFor } from '@okc/testing';
import { startTestIssuer, type TestIssuer } from './testing';
import { TokenRejectedError, type TokenRejectionReason } from './auth.errors';
import type { IssuerFetch } from './issuer-fetch';
import { TokenVerifier, type TokenVerifierOptions, type VerificationOutcome } from './token-verifier';

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The reason `verify` rejected the token with; fails the test when it was accepted. */
async function rejection(verifier: TokenVerifier, token: string): Promise<TokenRejectionReason> {
  try {
    await verifier.verify(token);
  } catch (error) {
    if (error instanceof TokenRejectedError) return error.reason;
    throw error;
  }
  throw new Error('the token was accepted');
}

describe('TokenVerifier', () => {
  let issuer: TestIssuer;
  let verifier: TokenVerifier;
  const outcomes: VerificationOutcome[] = [];

  const verifierFor = (extra: Partial<TokenVerifierOptions> = {}): TokenVerifier =>
    new TokenVerifier({
      issuer: issuer.issuer,
      audience: 'okc-api',
      jwksCooldownMs: 0,
      ...extra,
    });

  beforeAll(async () => {
    issuer = await startTestIssuer();
    verifier = verifierFor({ onOutcome: (outcome) => outcomes.push(outcome) });
  });
  afterAll(() => issuer.close());

  describe('accepts', () => {
    it('a valid user token, as a principal', async () => {
      const token = await issuer.mint({
        sub: 'u-42',
        tenant: 'acme',
        roles: ['operator', 'supervisor'],
        name: 'Ирина Петрова',
        preferredUsername: 'irina',
        scope: 'openid profile',
        jti: 'tok-1',
        expiresInSec: 600,
      });
      const principal = await verifier.verify(token);
      expect(principal).toEqual({
        subject: 'u-42',
        tenantId: 'acme',
        roles: ['operator', 'supervisor'],
        name: 'Ирина Петрова',
        username: 'irina',
        clientId: 'okc-web',
        kind: 'user',
        scope: ['openid', 'profile'],
        tokenId: 'tok-1',
        expiresAt: expect.any(Date),
      });
      expect(principal.expiresAt.getTime()).toBeGreaterThan(Date.now());
      expect(outcomes).toContain('accepted');
    });

    it('a client-credentials token as kind client', async () => {
      const token = await issuer.mint({
        sub: 'crm-sync',
        clientId: 'crm-sync',
        tenant: 'acme',
        roles: ['integrator'],
      });
      await expect(verifier.verify(token)).resolves.toMatchObject({
        subject: 'crm-sync',
        kind: 'client',
        roles: ['integrator'],
      });
    });

    it('the typ spelled application/at+jwt', async () => {
      const token = await issuer.mint({ tenant: 'acme', roles: [], typ: 'application/at+jwt' });
      await expect(verifier.verify(token)).resolves.toMatchObject({ tenantId: 'acme', roles: [] });
    });

    it('drops roles it does not know', async () => {
      const token = await issuer.mint({ tenant: 'acme', roles: ['operator', 'root', 'admin', 'operator'] });
      await expect(verifier.verify(token)).resolves.toMatchObject({ roles: ['operator', 'admin'] });
    });

    it('an expired token within the clock tolerance, and not without it', async () => {
      const token = await issuer.mint({ tenant: 'acme', roles: ['operator'], expiresInSec: -1 });
      await expect(verifierFor({ clockToleranceSec: 60 }).verify(token)).resolves.toBeDefined();
      expect(await rejection(verifierFor({ clockToleranceSec: 0 }), token)).toBe('expired');
    });
  });

  describe('rejects', () => {
    const valid = { tenant: 'acme', roles: ['operator'] } as const;

    it('an expired token', async () => {
      const token = await issuer.mint({ ...valid, expiresInSec: -60 });
      expect(await rejection(verifier, token)).toBe('expired');
      expect(outcomes).toContain('expired');
    });

    it('a token not valid yet', async () => {
      expect(await rejection(verifier, await issuer.mint({ ...valid, notBefore: 120 }))).toBe(
        'not-yet-valid',
      );
    });

    it('a token for another audience', async () => {
      expect(await rejection(verifier, await issuer.mint({ ...valid, audience: 'other-api' }))).toBe(
        'bad-audience',
      );
    });

    it('a token from another issuer, even signed with the right key', async () => {
      expect(
        await rejection(verifier, await issuer.mint({ ...valid, issuer: 'https://evil.example/sso' })),
      ).toBe('bad-issuer');
    });

    it('alg none, without asking the issuer anything', async () => {
      const fresh = await startTestIssuer();
      try {
        const signed = await fresh.mint(valid);
        const [, payload] = signed.split('.');
        const unsigned = `${b64url({ alg: 'none', typ: 'at+jwt' })}.${payload}.`;
        const subject = new TokenVerifier({ issuer: fresh.issuer, audience: 'okc-api' });
        expect(await rejection(subject, unsigned)).toBe('bad-algorithm');
        expect(fresh.requests).toEqual([]);
      } finally {
        await fresh.close();
      }
    });

    it('HS256 signed with the public RSA key as the HMAC secret (algorithm confusion)', async () => {
      const jwk = issuer.jwks().keys.find((key) => key.kid === issuer.currentKid)!;
      const publicPem = createPublicKey({ key: jwk, format: 'jwk' }).export({
        type: 'spki',
        format: 'pem',
      });
      const [, payload] = (await issuer.mint(valid)).split('.');
      const input = `${b64url({ alg: 'HS256', typ: 'at+jwt', kid: issuer.currentKid })}.${payload}`;
      const signature = createHmac('sha256', publicPem).update(input).digest('base64url');
      expect(await rejection(verifier, `${input}.${signature}`)).toBe('bad-algorithm');
    });

    it('a payload changed after signing', async () => {
      const [header, payload, signature] = (await issuer.mint(valid)).split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
      const forged = `${header}.${b64url({ ...claims, tenant: 'other', roles: ['admin'] })}.${signature}`;
      expect(await rejection(verifier, forged)).toBe('bad-signature');
    });

    it('a token signed with a key the issuer does not publish', async () => {
      expect(await rejection(verifier, await issuer.mint({ ...valid, unpublishedKey: true }))).toBe(
        'unknown-key',
      );
    });

    it('a token naming a kid that is not in the JWKS', async () => {
      expect(await rejection(verifier, await issuer.mint({ ...valid, kid: 'no-such-key' }))).toBe(
        'unknown-key',
      );
    });

    it.each([['JWT'], ['id_token+jwt'], [null]])('a token of typ %p', async (typ) => {
      expect(await rejection(verifier, await issuer.mint({ ...valid, typ }))).toBe('bad-type');
    });

    it.each([['tenant'], ['roles'], ['sub'], ['exp']])('a token without %s', async (claim) => {
      expect(await rejection(verifier, await issuer.mint({ ...valid, omitClaims: [claim] }))).toBe(
        'missing-claim',
      );
    });

    it.each([
      ['a tenant that is not a tenant id', { tenant: 'Acme Corp' }],
      ['roles that are not an array', { roles: 'admin' }],
    ])('a token with %s', async (_what, extraClaims) => {
      expect(await rejection(verifier, await issuer.mint({ ...valid, extraClaims }))).toBe('missing-claim');
    });

    it.each([['not-a-jwt'], ['a.b.c'], ['x'.repeat(20_000)], ['']])('garbage %#', async (token) => {
      expect(await rejection(verifier, token)).toBe('malformed');
    });
  });

  describe('keys', () => {
    it('keeps accepting tokens of the previous key after a rotation, and learns the new key', async () => {
      const before = await issuer.mint({ tenant: 'acme', roles: ['operator'] });
      await verifier.verify(before);
      const oldKid = issuer.currentKid;
      const newKid = await issuer.rotate();
      expect(newKid).not.toBe(oldKid);

      const after = await issuer.mint({ tenant: 'acme', roles: ['operator'] });
      expect(decodeProtectedHeader(after).kid).toBe(newKid);
      await expect(verifier.verify(after)).resolves.toMatchObject({ tenantId: 'acme' });
      await expect(verifier.verify(before)).resolves.toMatchObject({ tenantId: 'acme' });
    });

    it('fetches the JWKS once for many tokens, and not again for an unknown kid during the cooldown', async () => {
      const own = await startTestIssuer();
      try {
        const cached = new TokenVerifier({ issuer: own.issuer, audience: 'okc-api', jwksCooldownMs: 60_000 });
        for (let i = 0; i < 5; i++) await cached.verify(await own.mint({ tenant: 'acme', roles: [] }));
        const jwksFetches = () => own.requests.filter((path) => path.endsWith('/jwks')).length;
        expect(jwksFetches()).toBe(1);
        expect(await rejection(cached, await own.mint({ tenant: 'acme', roles: [], kid: 'forged' }))).toBe(
          'unknown-key',
        );
        expect(jwksFetches()).toBe(1);
        expect(own.requests.filter((path) => path.endsWith('/openid-configuration'))).toHaveLength(1);
      } finally {
        await own.close();
      }
    });
  });

  describe('issuer', () => {
    it('answers issuer-unreachable when the issuer cannot be reached', async () => {
      const gone = await startTestIssuer();
      const token = await gone.mint({ tenant: 'acme', roles: ['operator'] });
      await gone.close();
      const subject = new TokenVerifier({ issuer: gone.issuer, audience: 'okc-api', jwksCooldownMs: 0 });
      expect(await rejection(subject, token)).toBe('issuer-unreachable');
    });

    it('retries a failed discovery instead of remembering the failure', async () => {
      let failNext = true;
      const flaky: IssuerFetch = (url, init) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new TypeError('fetch failed'));
        }
        return fetch(url, init);
      };
      const subject = verifierFor({ fetch: flaky });
      const token = await issuer.mint({ tenant: 'acme', roles: ['operator'] });
      expect(await rejection(subject, token)).toBe('issuer-unreachable');
      await expect(subject.verify(token)).resolves.toMatchObject({ tenantId: 'acme' });
    });

    it('reaches the issuer through OIDC_DISCOVERY_URL while tokens carry the public issuer', async () => {
      const behindGateway = await startTestIssuer({ issuer: 'http://okc.invalid:8080/sso' });
      try {
        expect(behindGateway.env).toMatchObject({
          OIDC_ISSUER: 'http://okc.invalid:8080/sso',
          OIDC_DISCOVERY_URL: behindGateway.url,
        });
        const subject = new TokenVerifier({
          issuer: 'http://okc.invalid:8080/sso',
          discoveryUrl: behindGateway.url,
          audience: 'okc-api',
        });
        const token = await behindGateway.mint({ tenant: 'acme', roles: ['admin'] });
        await expect(subject.verify(token)).resolves.toMatchObject({ roles: ['admin'] });
        expect(behindGateway.requests).toEqual(['/sso/.well-known/openid-configuration', '/sso/jwks']);
      } finally {
        await behindGateway.close();
      }
    });

    it('keeps using the keys it has when the issuer goes away, but cannot learn new ones', async () => {
      const outage = await startTestIssuer();
      const subject = new TokenVerifier({
        issuer: outage.issuer,
        audience: 'okc-api',
        jwksCooldownMs: 0,
        jwksCacheMaxAgeMs: 0, // every verification wants fresh keys
        verifiedCacheMs: 0, // and really verifies
      });
      const token = await outage.mint({ tenant: 'acme', roles: ['operator'] });
      const unknown = await outage.mint({
        tenant: 'acme',
        roles: ['operator'],
        kid: 'rotated-during-outage',
      });
      await subject.verify(token);
      await outage.close();

      await expect(subject.verify(token)).resolves.toMatchObject({ tenantId: 'acme' });
      expect(await rejection(subject, unknown)).toBe('issuer-unreachable');
    });
  });

  describe('remembers verified tokens', () => {
    it('verifies a token presented again without the key work, unless turned off', async () => {
      const counted = await startTestIssuer();
      try {
        const jwksFetches = () => counted.requests.filter((path) => path.endsWith('/jwks')).length;
        const options = {
          issuer: counted.issuer,
          audience: 'okc-api',
          jwksCooldownMs: 0,
          jwksCacheMaxAgeMs: 0,
        };
        const token = await counted.mint({ tenant: 'acme', roles: ['operator'] });

        const remembering = new TokenVerifier(options);
        for (let i = 0; i < 3; i++) await remembering.verify(token);
        expect(jwksFetches()).toBe(1);

        const forgetful = new TokenVerifier({ ...options, verifiedCacheMs: 0 });
        for (let i = 0; i < 3; i++) await forgetful.verify(token);
        expect(jwksFetches()).toBe(4);
      } finally {
        await counted.close();
      }
    });

    it('never accepts a remembered token past its exp', async () => {
      const subject = verifierFor({ clockToleranceSec: 0 });
      const token = await issuer.mint({ tenant: 'acme', roles: ['operator'], expiresInSec: 3 });
      await expect(subject.verify(token)).resolves.toMatchObject({ tenantId: 'acme' });
      await waitFor(
        'the token to expire',
        async () => (await rejection(subject, token)) === 'expired',
        5_000,
      );
    });

    it('does not take a tampered copy of a remembered token for it', async () => {
      const token = await issuer.mint({ tenant: 'acme', roles: ['operator'] });
      await verifier.verify(token);
      const [header, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
      const tampered = `${header}.${b64url({ ...claims, roles: ['admin'] })}.${signature}`;
      expect(await rejection(verifier, tampered)).toBe('bad-signature');
    });
  });
});
