import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import express from 'express';
import pino from 'pino';
import { ssoProxy } from '../src/sso-proxy/sso-proxy';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The gateway's `/sso` pass-through against a stand-in upstream that records what reaches it. */
describe('gateway /sso pass-through', () => {
  let upstream: Server;
  let gateway: Server;
  let upstreamUrl: string;
  let gatewayUrl: string;
  const seen: Seen[] = [];

  const listen = (server: Server) =>
    new Promise<string>((resolve) =>
      server.listen(0, '127.0.0.1', () =>
        resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`),
      ),
    );

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (c: string) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        res.writeHead(200, {
          'content-type': 'application/json',
          'set-cookie': '_session=abc; path=/; httponly',
        });
        res.end(JSON.stringify({ ok: true }));
      });
    });
    upstreamUrl = await listen(upstream);
    const app = express();
    app.use(ssoProxy(upstreamUrl, pino({ level: 'silent' })));
    app.use(express.urlencoded({ extended: false }));
    app.use((_req, res) => res.status(404).json({ error: 'NOT_FOUND' }));
    gateway = createServer(app);
    gatewayUrl = await listen(gateway);
  });

  afterAll(async () => {
    await new Promise((r) => gateway.close(r));
    await new Promise((r) => upstream.close(r));
  });

  it('forwards /sso paths unchanged, with the body unparsed and X-Forwarded headers', async () => {
    const res = await fetch(`${gatewayUrl}/sso/token?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toContain('_session=abc');
    const last = seen.at(-1)!;
    expect(last).toMatchObject({
      method: 'POST',
      url: '/sso/token?x=1',
      body: 'grant_type=client_credentials',
    });
    expect(last.headers['x-forwarded-for']).toContain('127.0.0.1');
    expect(last.headers['x-forwarded-proto']).toBe('http');
    expect(last.headers['x-forwarded-host']).toBe(new URL(gatewayUrl).host);
  });

  it('leaves every other path to the gateway (the control)', async () => {
    const before = seen.length;
    const res = await fetch(`${gatewayUrl}/ssox/token`);
    expect(res.status).toBe(404);
    expect(seen.length).toBe(before);
  });

  it('answers 502 with a JSON error when sso is down', async () => {
    const dead = express();
    dead.use(ssoProxy('http://127.0.0.1:1', pino({ level: 'silent' })));
    const server = createServer(dead);
    const url = await listen(server);
    try {
      const res = await fetch(`${url}/sso/.well-known/openid-configuration`);
      expect(res.status).toBe(502);
      expect(await res.json()).toMatchObject({ error: 'BAD_GATEWAY' });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
