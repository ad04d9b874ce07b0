import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PbxIntegrationConfig } from '../config';
import { OutboundHttp } from './outbound-http';

// Real sockets on 127.0.0.1: the guard refuses loopback by name (after DNS) and by literal, and lets a
// permitted call through.
describe('OutboundHttp', () => {
  let server: Server;
  let port: number;
  const clients: OutboundHttp[] = [];
  let hits = 0;

  const client = (config: Partial<PbxIntegrationConfig>) => {
    const http = new OutboundHttp({
      NODE_ENV: 'production',
      OUTBOUND_DENY_CIDRS: [],
      ...config,
    } as PbxIntegrationConfig);
    clients.push(http);
    return http;
  };
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => 'answered',
      (err: Error & { cause?: Error }) => `${err.message} / ${err.cause?.message ?? ''}`,
    );

  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits += 1;
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const c of clients) await c.onApplicationShutdown();
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses this machine in production, by IP literal and by name, without sending anything', async () => {
    const http = client({});
    expect(await failure(http.fetch(`http://127.0.0.1:${port}/x`, {}))).toContain(
      '127.0.0.1 is a loopback address',
    );
    expect(await failure(http.fetch(`http://localhost:${port}/x`, {}))).toContain(
      'localhost resolves to a loopback address',
    );
    expect(hits).toBe(0);
  });

  it('calls it when loopback is allowed (outside production by default)', async () => {
    const res = await client({ NODE_ENV: 'test' }).fetch(`http://localhost:${port}/x`, {});
    expect(await res.json()).toEqual({ ok: true });
    const allowed = await client({ OUTBOUND_ALLOW_LOOPBACK: true }).fetch(`http://127.0.0.1:${port}/y`, {});
    expect(allowed.status).toBe(200);
    expect(hits).toBe(2);
  });

  it('refuses a network named in OUTBOUND_DENY_CIDRS even where loopback is allowed', async () => {
    const http = client({ NODE_ENV: 'test', OUTBOUND_DENY_CIDRS: ['127.0.0.0/8'] });
    expect(await failure(http.fetch(`http://localhost:${port}/z`, {}))).toContain('OUTBOUND_DENY_CIDRS');
    expect(hits).toBe(2);
  });
});
