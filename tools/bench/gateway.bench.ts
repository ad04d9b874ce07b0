/**
 * Gateway benchmark (`npm run bench:gateway`, not a test): the same authenticated GET
 * (`/api/v1/focus/whoami`) sent through the gateway with a browser session, and straight to focus with
 * the session's access token, in one run with the same load client (autocannon). sso, focus and the
 * gateway run as their own processes on fresh databases. Writes tools/bench/results/gateway.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { getTestInfra, HttpSession, locationOf, startOkcStack } from '@okc/testing';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

interface Figures {
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; mean: number };
  requests: number;
  errors: number;
  non2xx: number;
}

async function measure(url: string, headers: Record<string, string>): Promise<Figures> {
  const result = await autocannon({
    url,
    headers,
    connections: CONNECTIONS,
    duration: SECONDS,
    pipelining: 1,
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      mean: Math.round(result.latency.mean * 100) / 100,
    },
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

async function main(): Promise<void> {
  const infra = await getTestInfra();
  const stack = await startOkcStack({ name: 'bench', gateway: true });
  const { focus } = stack;
  const gatewayUrl = stack.url;
  try {
    // Sign in as a browser would, then take the session cookie and, for the direct path, its token.
    const browser = new HttpSession();
    let next = locationOf(await browser.get(`${gatewayUrl}/auth/login?returnTo=/`), gatewayUrl);
    next = locationOf(await browser.get(next), gatewayUrl);
    next = locationOf(
      await browser.postForm(`${next}/login`, { login: 'op1@demo', password: 'demo' }),
      gatewayUrl,
    );
    while (!next.includes('/auth/callback')) next = locationOf(await browser.get(next), gatewayUrl);
    const signedIn = await browser.get(next);
    if (signedIn.status !== 303)
      throw new Error(`sign-in failed: ${signedIn.status} ${await signedIn.text()}`);
    const cookie = `okc.sid=${browser.cookie('okc.sid')!}`;
    const token = await tokenOf(infra.redisUrl, stack.gatewayEnv.REDIS_KEY_PREFIX!, cookie);

    const through = `${gatewayUrl}/api/v1/focus/whoami`;
    const direct = `${focus.url}/api/v1/focus/whoami`;
    await measure(direct, { authorization: `Bearer ${token}` }); // warm-up both paths
    await measure(through, { cookie });
    const directFigures = await measure(direct, { authorization: `Bearer ${token}` });
    const gatewayFigures = await measure(through, { cookie });
    const result = {
      benchmark: 'gateway',
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
      setup: {
        request: 'GET /api/v1/focus/whoami (libs/auth verifies the token in focus)',
        client: `autocannon, ${CONNECTIONS} connections, ${SECONDS} s per run, same machine`,
        processes: 'sso, focus, gateway each one node process (TypeScript through @swc-node/register)',
      },
      direct: directFigures,
      throughGateway: gatewayFigures,
      addedLatencyMs: {
        p50: gatewayFigures.latencyMs.p50 - directFigures.latencyMs.p50,
        p99: gatewayFigures.latencyMs.p99 - directFigures.latencyMs.p99,
      },
      throughputShare:
        Math.round((gatewayFigures.requestsPerSecond / directFigures.requestsPerSecond) * 1000) / 1000,
      targets: { addedP50Ms: 2, addedP99Ms: 5, throughputShare: 0.7 },
    };
    mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    writeFileSync(path.join(__dirname, 'results', 'gateway.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await stack.close();
  }
}

/**
 * The session's access token for the direct path. The gateway never hands it out, so the benchmark reads
 * the session from Redis, where the gateway keeps it (`<prefix>sess:<id>`; the cookie is `s:<id>.<sig>`).
 */
async function tokenOf(redisUrl: string, prefix: string, cookie: string): Promise<string> {
  const sid = decodeURIComponent(cookie.split('=')[1]!).replace(/^s:/, '').split('.')[0]!;
  const redis = new Redis(redisUrl);
  try {
    const raw = await redis.get(`${prefix}sess:${sid}`);
    const session = JSON.parse(raw ?? '{}') as { okc?: { accessToken?: string } };
    if (!session.okc?.accessToken) throw new Error('no session in Redis');
    return session.okc.accessToken;
  } finally {
    redis.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
