import { createHash, randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { TOPICS } from '@okc/contracts';
import { createDataSource, runMigrations } from '@okc/persistence';
import { createServiceApp } from '@okc/runtime';
import {
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  followWithin,
  freePort,
  HttpSession,
  locationOf,
  getTestInfra,
  type TestDatabase,
  type TestInfra,
  waitFor,
} from '@okc/testing';
import type { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { entities } from '../../src/entities';
import { migrations } from '../../src/migrations';
import { mountOidc } from '../../src/oidc/mount';
import { GATEWAY_CLIENT_ID } from '../../src/oidc/oidc.constants';

export const GATEWAY_SECRET = 'test-gateway-client-secret-0123456789';

export interface LogLine extends Record<string, unknown> {
  level: number;
  msg?: string;
}

export interface SsoHarness {
  /** PUBLIC_URL: `http://127.0.0.1:<port>`, the sso app itself (no gateway in these tests). */
  readonly url: string;
  /** `<url>/sso` */
  readonly issuer: string;
  readonly app: NestExpressApplication;
  /** A direct connection to sso's test database (root), for assertions and fixtures. */
  readonly db: DataSource;
  readonly infra: TestInfra;
  readonly env: Readonly<Record<string, string>>;
  readonly logs: LogLine[];
  /** Redirect URI of the gateway client in these tests. */
  readonly gatewayRedirectUri: string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Extra environment, e.g. shorter lockouts. */
  readonly env?: Readonly<Record<string, string>>;
  /** Reuse an existing database (restart tests); its migrations must have run. */
  readonly database?: TestDatabase;
  /** Reuse a port (restart tests: the issuer URL must not change). */
  readonly port?: number;
  readonly name?: string;
}

/** The environment of an sso on a test database, Redis prefix and topics (harness and benchmark). */
export function ssoEnvironment(o: {
  database: TestDatabase;
  infra: TestInfra;
  port: number;
  redisKeyPrefix: string;
  topicPrefix: string;
}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    PORT: String(o.port),
    PUBLIC_URL: `http://127.0.0.1:${o.port}`,
    DB_HOST: o.database.config.host,
    DB_PORT: String(o.database.config.port),
    DB_USER: o.database.config.user,
    DB_PASSWORD: o.database.config.password,
    DB_NAME: o.database.config.database,
    REDIS_URL: o.infra.redisUrl,
    REDIS_KEY_PREFIX: o.redisKeyPrefix,
    KAFKA_BROKERS: o.infra.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: o.topicPrefix,
    SSO_GATEWAY_CLIENT_SECRET: GATEWAY_SECRET,
  };
}

/** An authorization request of the gateway client (authorization code + PKCE S256). */
export function gatewayAuthorizeUrl(
  h: Pick<SsoHarness, 'issuer' | 'gatewayRedirectUri'>,
  challenge: string,
  scope = 'openid profile',
  state = randomBytes(8).toString('hex'),
): string {
  const url = new URL(`${h.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: GATEWAY_CLIENT_ID,
    response_type: 'code',
    redirect_uri: h.gatewayRedirectUri,
    scope,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  }).toString();
  return url.toString();
}

/** Creates and migrates a fresh sso database for one suite. */
export async function createSsoDatabase(infra: TestInfra, name: string): Promise<TestDatabase> {
  const database = await createTestDatabase(infra, name);
  const ds = createDataSource(database.config, { service: 'sso', entities, migrations });
  await ds.initialize();
  try {
    await runMigrations(ds);
  } finally {
    await ds.destroy();
  }
  return database;
}

/**
 * The real sso app, in-process, on its own database, Redis key prefix and Kafka topics: everything but
 * the process boundary is as in production (same module, same middleware, oidc-provider mounted the same
 * way). Resolves once the OpenID provider is ready.
 */
export async function startSsoHarness(options: HarnessOptions = {}): Promise<SsoHarness> {
  const infra = await getTestInfra();
  const name = options.name ?? 'sso';
  const ownsDatabase = !options.database;
  const database =
    options.database ?? (await createSsoDatabase(infra, `${name}_${randomBytes(3).toString('hex')}`));
  const topics = { ...infra, topicPrefix: `${infra.topicPrefix}${name}${randomBytes(2).toString('hex')}.` };
  await createTestTopics(topics, [TOPICS.identityUsers]);
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const gatewayRedirectUri = `${url}/test-rp/callback`;
  const env: Record<string, string> = {
    ...ssoEnvironment({
      database,
      infra,
      port,
      redisKeyPrefix: `${infra.redisKeyPrefix}${name}:`,
      topicPrefix: topics.topicPrefix,
    }),
    LOG_LEVEL: 'debug',
    SSO_GATEWAY_REDIRECT_URIS: gatewayRedirectUri,
    OIDC_JWKS_COOLDOWN_MS: '0',
    SSO_LOGIN_DELAY_BASE_MS: '1',
    SSO_LOGIN_DELAY_MAX_MS: '1',
    ...options.env,
  };
  const logs: LogLine[] = [];
  const logDestination = {
    write(line: string): void {
      logs.push(JSON.parse(line) as LogLine);
    },
  };
  const app = await createServiceApp(AppModule.forRoot({ env, logDestination }), { mount: mountOidc });
  await app.listen(port, '127.0.0.1');
  const db = createDataSource({ ...database.config }, { service: 'sso-test', entities, migrations: [] });
  await db.initialize();
  await waitFor(
    'the OpenID provider to be ready',
    async () => (await fetch(`${url}/sso/.well-known/openid-configuration`)).status === 200,
  );
  return {
    url,
    issuer: `${url}/sso`,
    app,
    db,
    infra,
    env,
    logs,
    gatewayRedirectUri,
    async close() {
      await app.close();
      await db.destroy();
      if (ownsDatabase) await database.drop();
      await deleteTestTopics(topics).catch(() => undefined);
    },
  };
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface TokenSet {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  token_type: string;
  expires_in: number;
  scope?: string;
}

/**
 * Signs `login@tenant` in through the gateway client the way a browser would (authorization request,
 * sign-in form, code exchange) and returns the tokens. For tests that need a user's access token.
 */
export async function signInThroughGateway(
  h: SsoHarness,
  login: string,
  password = 'demo',
): Promise<TokenSet> {
  const session = new HttpSession();
  const { verifier, challenge } = pkce();
  const toLogin = await session.get(gatewayAuthorizeUrl(h, challenge, 'openid profile offline_access'));
  const loginPage = locationOf(toLogin, h.url);
  const posted = await session.postForm(`${loginPage}/login`, { login, password });
  if (posted.status !== 303 && posted.status !== 302) {
    throw new Error(`sign-in of ${login} failed with ${posted.status}`);
  }
  const back = await followWithin(session, locationOf(posted, h.url), h.issuer);
  const code = new URL(locationOf(back, h.url)).searchParams.get('code');
  if (!code) throw new Error(`no code for ${login}: ${locationOf(back, h.url)}`);
  return exchangeCode(h, code, verifier);
}

export async function exchangeCode(h: SsoHarness, code: string, verifier: string): Promise<TokenSet> {
  const res = await fetch(`${h.issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${GATEWAY_CLIENT_ID}:${GATEWAY_SECRET}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: h.gatewayRedirectUri,
      code_verifier: verifier,
    }).toString(),
  });
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as TokenSet;
}

export async function clientCredentialsToken(
  h: SsoHarness,
  clientId: string,
  secret: string,
): Promise<TokenSet> {
  const res = await fetch(`${h.issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
  });
  if (res.status !== 200) throw new Error(`client_credentials failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as TokenSet;
}
