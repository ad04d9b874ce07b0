import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { spaStatic } from '../src/spa/spa-static';

/** The SPAs' files as the gateway serves them, from a stand-in `apps/` with one app built. */
describe('gateway: the SPAs', () => {
  let dir: string;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'okc-apps-'));
    mkdirSync(path.join(dir, 'operator', 'dist', 'assets'), { recursive: true });
    writeFileSync(path.join(dir, 'operator', 'dist', 'index.html'), '<!doctype html><title>operator</title>');
    writeFileSync(path.join(dir, 'operator', 'dist', 'assets', 'app-1a2b.js'), 'console.log(1)');
    const app = express();
    app.use(spaStatic(dir));
    app.use((_req, res) => res.status(404).json({ error: 'NOT_FOUND' }));
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the app at /operator/ and its deep links, never caching index.html', async () => {
    for (const route of ['/operator/', '/operator/history/42']) {
      const res = await fetch(`${url}${route}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>operator</title>');
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('caches hashed assets for a year, and answers a missing asset 404 (not the page)', async () => {
    const asset = await fetch(`${url}/operator/assets/app-1a2b.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${url}/operator/assets/gone.js`)).status).toBe(404);
  });

  it('redirects /operator to /operator/', async () => {
    const res = await fetch(`${url}/operator`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/operator/');
  });

  it('says how to build an app that is not built (503), and leaves other paths alone', async () => {
    const res = await fetch(`${url}/manager/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
    expect((await fetch(`${url}/elsewhere`)).status).toBe(404);
  });
});
