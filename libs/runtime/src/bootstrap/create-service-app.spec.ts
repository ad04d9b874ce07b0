import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty } from '@nestjs/swagger';
import { startTestApp, type TestApp } from '../../test/test-app';

class PingDto {
  @ApiProperty()
  pong!: boolean;
}

@Controller('api/v1/test')
class PingController {
  @Get('ping')
  @ApiOkResponse({ type: PingDto })
  ping(): PingDto {
    return { pong: true };
  }
}

describe('createServiceApp', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      controllers: [PingController],
      env: { SERVICE_VERSION: '1.2.3' },
      swagger: { title: 'Test API', description: 'For tests' },
    });
  });
  afterAll(() => t.close());

  it('serves the OpenAPI document at /docs-json with the service routes and health, without /metrics', async () => {
    const res = await fetch(`${t.url}/docs-json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      info: { title: string; version: string };
      paths: Record<string, unknown>;
    };
    expect(doc.info).toMatchObject({ title: 'Test API', version: '1.2.3' });
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/v1/test/ping', '/health/live', '/health/ready']);
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await fetch(`${t.url}/docs`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger-ui');
  });

  it('tags logs with the service version and hides the framework header', async () => {
    const res = await fetch(`${t.url}/api/v1/test/ping`);
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(t.logs.every((line) => line['version'] === '1.2.3')).toBe(true);
  });
});
