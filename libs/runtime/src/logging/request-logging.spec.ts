import { Body, Controller, Get, Logger, Post } from '@nestjs/common';
import { linesOfRequest, startTestApp, type TestApp } from '../../test/test-app';

@Controller('echo')
class EchoController {
  private readonly logger = new Logger(EchoController.name);

  @Get()
  get(): { ok: true } {
    this.logger.log('handling echo');
    return { ok: true };
  }

  @Post()
  post(@Body() body: unknown): { ok: true } {
    this.logger.log({ body }, 'received body');
    return { ok: true };
  }
}

describe('request logging and request id', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ name: 'echo-service', controllers: [EchoController] });
  });
  afterAll(() => t.close());

  it('echoes a valid incoming x-request-id and tags every log line of the request with it', async () => {
    const res = await fetch(`${t.url}/echo`, { headers: { 'x-request-id': 'trace-42.a_b' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('trace-42.a_b');
    const lines = linesOfRequest(t.logs, 'trace-42.a_b');
    expect(lines.map((line) => line.msg)).toEqual(['handling echo', 'request completed']);
    expect(lines.every((line) => line['service'] === 'echo-service')).toBe(true);
  });

  it('replaces an invalid incoming id and generates one when absent', async () => {
    const invalid = await fetch(`${t.url}/echo`, { headers: { 'x-request-id': 'bad id;drop table' } });
    const absent = await fetch(`${t.url}/echo`);
    for (const res of [invalid, absent]) {
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(linesOfRequest(t.logs, id!)).toHaveLength(2);
    }
  });

  it('redacts auth headers, cookies and password/secret fields', async () => {
    const res = await fetch(`${t.url}/echo`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'redaction-1',
        authorization: 'Bearer top-token',
        cookie: 'sid=session-cookie',
      },
      body: JSON.stringify({
        user: 'ann',
        password: 'hunter2',
        nested: { clientSecret: 's3cr3t', secret: 'x' },
      }),
    });
    expect(res.status).toBe(201);
    const text = JSON.stringify(linesOfRequest(t.logs, 'redaction-1'));
    expect(text).toContain('"user":"ann"');
    for (const leaked of ['top-token', 'session-cookie', 'hunter2', 's3cr3t'])
      expect(text).not.toContain(leaked);
    expect(text).toContain('[REDACTED]');
  });

  it('logs health and metrics probes at debug, business requests at info', async () => {
    for (const [path, id] of [
      ['/health/live', 'probe-live'],
      ['/metrics', 'probe-metrics'],
      ['/echo', 'business-1'],
    ] as const) {
      await (await fetch(`${t.url}${path}`, { headers: { 'x-request-id': id } })).text();
    }
    const completed = (id: string) =>
      linesOfRequest(t.logs, id).find((line) => line.msg === 'request completed');
    expect(completed('probe-live')?.level).toBe(20);
    expect(completed('probe-metrics')?.level).toBe(20);
    expect(completed('business-1')?.level).toBe(30);
  });
});
