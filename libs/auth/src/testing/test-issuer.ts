import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export interface TestIssuerOptions {
  /** The path of the issuer on its server, as the SSO's `/sso` (default). */
  readonly path?: string;
  /**
   * The issuer identifier it claims (in discovery and `iss`) instead of its own URL — to test
   * `OIDC_DISCOVERY_URL`: tokens name a public URL, and `env` then points the discovery at this server.
   */
  readonly issuer?: string;
  /** Default `aud` of minted tokens (`okc-api`). */
  readonly audience?: string;
}

export interface MintOptions {
  /** `sub` (`user-1`). */
  readonly sub?: string;
  readonly tenant: string;
  readonly roles: readonly string[];
  readonly name?: string;
  readonly preferredUsername?: string;
  readonly clientId?: string;
  /** Space-separated, as in the token (`openid`). */
  readonly scope?: string;
  /** `jti` (a fresh UUID). */
  readonly jti?: string;
  /** `exp` in seconds from now (300); negative for an expired token. */
  readonly expiresInSec?: number;
  /** `nbf` in seconds from now, when given (positive: not valid yet). */
  readonly notBefore?: number;
  /** `aud` (the issuer's audience). */
  readonly audience?: string | readonly string[];
  /** `iss` (the issuer identifier). */
  readonly issuer?: string;
  /** Header `typ` (`at+jwt`); `null` leaves it out. */
  readonly typ?: string | null;
  /** Header `kid` (the current key's); the token is still signed with the current key. */
  readonly kid?: string;
  /** Sign with a fresh key the JWKS never publishes (with its own kid). */
  readonly unpublishedKey?: boolean;
  /** Added to (or overriding) the claims. */
  readonly extraClaims?: Readonly<Record<string, unknown>>;
  /** Claims to leave out, e.g. `['tenant']`. */
  readonly omitClaims?: readonly string[];
}

export interface TestIssuer {
  /** Where it listens: `http://127.0.0.1:<port>/sso`. */
  readonly url: string;
  /** The issuer identifier it claims (`url` unless `options.issuer`). */
  readonly issuer: string;
  /** The environment of a service trusting it (`authConfigSchema` variables). */
  readonly env: Readonly<Record<string, string>>;
  readonly audience: string;
  /** The kid tokens are signed with now. */
  readonly currentKid: string;
  /** The published key set. */
  jwks(): { keys: JWK[] };
  /** Paths requested so far, e.g. to count JWKS fetches. */
  readonly requests: readonly string[];
  /** A signed access token, RS256, with the claims our SSO puts in. */
  mint(options: MintOptions): Promise<string>;
  /** A new current key; the previous ones stay published. Returns the new kid. */
  rotate(): Promise<string>;
  /** Stops the server (idempotent): the issuer is then unreachable. */
  close(): Promise<void>;
}

interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicJwk };
}

/**
 * An in-process OpenID Connect issuer for tests of anything that checks our tokens: a real HTTP server on
 * 127.0.0.1 with a discovery document and a JWKS, and `mint()` to sign tokens shaped like the SSO's.
 *
 *   const issuer = await startTestIssuer();
 *   app = await startApp({ env: issuer.env });
 *   const token = await issuer.mint({ tenant: 'acme', roles: ['operator'] });
 */
export async function startTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const path = (options.path ?? '/sso').replace(/\/+$/, '');
  const audience = options.audience ?? 'okc-api';
  const keys: SigningKey[] = [await newKey()];
  const requests: string[] = [];
  let issuer = '';

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    requests.push(url);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url === `${path}/.well-known/openid-configuration`) {
      json(200, {
        issuer,
        jwks_uri: `${issuer}/jwks`,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    } else if (url === `${path}/jwks`) {
      json(200, { keys: keys.map((key) => key.publicJwk) });
    } else {
      json(404, { error: 'not_found' });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  issuer = options.issuer?.replace(/\/+$/, '') ?? url;
  const current = () => keys[keys.length - 1]!;

  return {
    url,
    issuer,
    audience,
    env: {
      OIDC_ISSUER: issuer,
      OIDC_AUDIENCE: audience,
      OIDC_JWKS_COOLDOWN_MS: '0',
      ...(issuer === url ? {} : { OIDC_DISCOVERY_URL: url }),
    },
    get currentKid() {
      return current().kid;
    },
    jwks: () => ({ keys: keys.map((key) => ({ ...key.publicJwk })) }),
    requests,
    async mint(mint: MintOptions): Promise<string> {
      const signing = mint.unpublishedKey ? await newKey() : current();
      const now = Math.floor(Date.now() / 1000);
      const sub = mint.sub ?? 'user-1';
      const claims: Record<string, unknown> = {
        iss: mint.issuer ?? issuer,
        sub,
        aud: mint.audience ?? audience,
        iat: now,
        exp: now + (mint.expiresInSec ?? 300),
        jti: mint.jti ?? randomUUID(),
        tenant: mint.tenant,
        roles: [...mint.roles],
        scope: mint.scope ?? 'openid',
        client_id: mint.clientId ?? 'okc-web',
        ...(mint.notBefore === undefined ? {} : { nbf: now + mint.notBefore }),
        ...(mint.name === undefined ? {} : { name: mint.name }),
        ...(mint.preferredUsername === undefined ? {} : { preferred_username: mint.preferredUsername }),
        ...mint.extraClaims,
      };
      for (const claim of mint.omitClaims ?? []) delete claims[claim];
      const typ = mint.typ === undefined ? 'at+jwt' : mint.typ;
      return new SignJWT(claims)
        .setProtectedHeader({
          alg: 'RS256',
          kid: mint.kid ?? signing.kid,
          ...(typ === null ? {} : { typ }),
        })
        .sign(signing.privateKey);
    },
    async rotate(): Promise<string> {
      keys.push(await newKey());
      return current().kid;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
