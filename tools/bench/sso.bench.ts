/**
 * SSO benchmark (`npm run bench:sso`, not a test). sso runs as its own process (as in production) on a
 * fresh database; this process is the load: complete password logins (authorization request → sign-in
 * form → code exchange, each with PKCE and argon2id), client-credentials grants, and JWT validations by
 * libs/auth's TokenVerifier in-process. Writes tools/bench/results/sso.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TokenVerifier } from '@okc/auth';
import { freePort, getTestInfra, waitFor } from '@okc/testing';
import { addClient, addTenant, addUser } from '../../services/sso/test/support/fixtures';
import {
  createSsoDatabase,
  exchangeCode,
  gatewayAuthorizeUrl,
  pkce,
  ssoEnvironment,
  type SsoHarness,
} from '../../services/sso/test/support/sso-harness';
import { followWithin, HttpSession, locationOf } from '@okc/testing';
import { createDataSource } from '@okc/persistence';
import { entities } from '../../services/sso/src/entities';

const ROOT = path.resolve(__dirname, '..', '..');
const LOGIN_SECONDS = Number(process.env.BENCH_LOGIN_SECONDS ?? 15);
const LOGIN_CONCURRENCY = Number(process.env.BENCH_LOGIN_CONCURRENCY ?? 8);
const CC_SECONDS = Number(process.env.BENCH_CC_SECONDS ?? 10);
const CC_CONCURRENCY = Number(process.env.BENCH_CC_CONCURRENCY ?? 32);
const VERIFY_SECONDS = Number(process.env.BENCH_VERIFY_SECONDS ?? 5);
const VERIFY_IN_FLIGHT = Number(process.env.BENCH_VERIFY_IN_FLIGHT ?? 64);
const DISTINCT_ROUNDS = Number(process.env.BENCH_DISTINCT_ROUNDS ?? 4);
const USERS = 50;

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

interface Measure {
  count: number;
  errors: number;
  seconds: number;
  perSecond: number;
  latencyMs: { p50: number; p95: number; p99: number };
}

/** Runs `work` from `concurrency` loops for `seconds`; counts successes and errors, records latencies. */
async function load(
  seconds: number,
  concurrency: number,
  work: (worker: number) => Promise<void>,
): Promise<Measure> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await work(worker);
          latencies.push(performance.now() - t0);
        } catch (err) {
          errors++;
          firstError ??= err;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  if (firstError) console.error('first error:', firstError);
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    errors,
    seconds: round(elapsed, 2),
    perSecond: round(latencies.length / elapsed),
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
    },
  };
}

async function main(): Promise<void> {
  const infra = await getTestInfra();
  const database = await createSsoDatabase(infra, `bench_sso_${randomBytes(2).toString('hex')}`);
  const db = createDataSource(database.config, { service: 'bench', entities, migrations: [] });
  await db.initialize();
  await addTenant(db, 'bench');
  const password = 'bench password 2026';
  for (let i = 0; i < USERS; i++) await addUser(db, 'bench', `op${i}`, ['operator'], { password });
  const integrator = await addClient(db, 'bench', 'integrator');

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const redirect = `${url}/bench/callback`;
  const sso: ChildProcess = spawn(
    process.execPath,
    ['--disable-warning=TimeoutNegativeWarning', '-r', '@swc-node/register', 'services/sso/src/main.ts'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.node.json'),
        ...ssoEnvironment({
          database,
          infra,
          port,
          redisKeyPrefix: `${infra.redisKeyPrefix}bench:`,
          topicPrefix: `${infra.topicPrefix}bench.`,
        }),
        LOG_LEVEL: 'warn',
        SSO_GATEWAY_REDIRECT_URIS: redirect,
      },
    },
  );
  try {
    await waitFor(
      'sso to be ready',
      async () => (await fetch(`${url}/sso/.well-known/openid-configuration`)).ok,
      120_000,
    );
    const h = { url, issuer: `${url}/sso`, gatewayRedirectUri: redirect } as SsoHarness;

    let n = 0;
    const login = async () => {
      const browser = new HttpSession();
      const { verifier, challenge } = pkce();
      const form = locationOf(await browser.get(gatewayAuthorizeUrl(h, challenge)), url);
      const posted = await browser.postForm(`${form}/login`, { login: `op${n++ % USERS}@bench`, password });
      if (posted.status !== 303) throw new Error(`sign-in answered ${posted.status}`);
      const back = await followWithin(browser, locationOf(posted, url), h.issuer);
      const code = new URL(locationOf(back, url)).searchParams.get('code');
      if (!code) throw new Error('no code');
      await exchangeCode(h, code, verifier);
    };
    await load(2, 2, login); // warm-up
    const logins = await load(LOGIN_SECONDS, LOGIN_CONCURRENCY, login);
    console.log('password logins', logins);

    const basic = `Basic ${Buffer.from(`${integrator.id}:${integrator.secret!}`).toString('base64')}`;
    const issued: string[] = [];
    const grant = async () => {
      const res = await fetch(`${h.issuer}/token`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}`);
      issued.push(((await res.json()) as { access_token: string }).access_token);
    };
    await load(2, 4, grant);
    const grants = await load(CC_SECONDS, CC_CONCURRENCY, grant);
    console.log('client-credentials grants', grants);

    // Distinct tokens (each one a real RS256 verification, as for the first request of every session or
    // integrator token) and one token presented again and again (every later request: libs/auth remembers
    // a verified token, see VerifiedTokenCache). WebCrypto verifies on the libuv pool, so throughput comes
    // with requests in flight, as in a service under load; the one-at-a-time figure is reported too.
    const fresh = () => new TokenVerifier({ issuer: h.issuer, audience: 'okc-api' });
    const warmUp = fresh();
    await warmUp.verify(issued[0]!);
    const distinct = async (inFlight: number) => {
      // Several rounds over the issued tokens, each round with a verifier that has remembered nothing.
      const rounds = await Promise.all(
        Array.from({ length: DISTINCT_ROUNDS }, async () => {
          const verifier = fresh();
          await verifier.verify(issued[0]!); // discovery and JWKS, outside the measurement
          return verifier;
        }),
      );
      let count = 0;
      const started = performance.now();
      for (const verifier of rounds) {
        let next = 1;
        await Promise.all(
          Array.from({ length: inFlight }, async () => {
            while (next < issued.length) {
              await verifier.verify(issued[next++]!);
              count++;
            }
          }),
        );
      }
      const seconds = (performance.now() - started) / 1000;
      return { inFlight, count, seconds: round(seconds, 2), perSecond: round(count / seconds) };
    };
    const repeated = async (inFlight: number) => {
      const verifier = fresh();
      const token = issued[0]!;
      let count = 0;
      const started = performance.now();
      while (performance.now() - started < VERIFY_SECONDS * 1000) {
        await Promise.all(Array.from({ length: inFlight }, () => verifier.verify(token)));
        count += inFlight;
      }
      const seconds = (performance.now() - started) / 1000;
      return { inFlight, count, seconds: round(seconds, 2), perSecond: round(count / seconds) };
    };
    const oneAtATime = await distinct(1); // first: it also warms the JIT up for the figure that counts
    const validations = {
      distinctTokens: await distinct(VERIFY_IN_FLIGHT),
      distinctTokensOneAtATime: oneAtATime,
      sameTokenAgain: await repeated(VERIFY_IN_FLIGHT),
    };
    console.log('JWT validations', validations);

    const result = {
      benchmark: 'sso',
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
      setup: {
        sso: 'one process (node, TypeScript through @swc-node/register), MariaDB 10.11, Redis 7',
        argon2id: 'm=19456 KiB, t=2, p=1',
        loginConcurrency: LOGIN_CONCURRENCY,
        ccConcurrency: CC_CONCURRENCY,
        login: 'GET /auth → GET sign-in form → POST form → redirects → POST /token (PKCE)',
      },
      passwordLogins: { ...logins, target: 25 },
      clientCredentialsGrants: { ...grants, target: 400 },
      jwtValidations: { ...validations, target: 10_000, tokensAvailable: issued.length },
    };
    mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    writeFileSync(path.join(__dirname, 'results', 'sso.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    sso.kill('SIGTERM');
    await new Promise((r) => sso.once('exit', r));
    await db.destroy();
    await database.drop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
