import { Controller, Get, Injectable, NotFoundException, Param } from '@nestjs/common';
import { Counter } from 'prom-client';
import { startTestApp, type TestApp } from '../../test/test-app';
import { MetricsService } from './metrics.service';

@Controller('agents')
class AgentsController {
  @Get(':id')
  one(@Param('id') id: string): { id: string } {
    if (id === 'missing') throw new NotFoundException();
    return { id };
  }
}

/** Another lib creating its metrics on the shared registry. */
@Injectable()
class OutboxMetrics {
  readonly published: Counter<'topic'>;
  constructor(metrics: MetricsService) {
    this.published = metrics.getOrCreateCounter({
      name: 'outbox_published_total',
      help: 'Events published from the outbox.',
      labelNames: ['topic'],
    });
  }
}

describe('metrics', () => {
  let t: TestApp;
  let metrics: MetricsService;
  beforeAll(async () => {
    t = await startTestApp({
      name: 'metrics-test',
      controllers: [AgentsController],
      providers: [OutboxMetrics],
    });
    metrics = t.app.get(MetricsService);
  });
  afterAll(() => t.close());

  it('creates a metric once and hands the same one out by name', () => {
    const again = metrics.getOrCreateCounter({
      name: 'outbox_published_total',
      help: 'x',
      labelNames: ['topic'],
    });
    expect(again).toBe(t.app.get(OutboxMetrics).published);
    expect(again).toBeInstanceOf(Counter);
  });

  it('refuses to reuse a name for another kind of metric', () => {
    expect(() => metrics.getOrCreateGauge({ name: 'outbox_published_total', help: 'x' })).toThrow(
      /already registered as a Counter/,
    );
  });

  it('serves Prometheus text with default Node metrics labelled by service', async () => {
    t.app.get(OutboxMetrics).published.inc({ topic: 'focus.agent-states.v1' });
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="metrics-test"\} /m);
    expect(text).toContain('outbox_published_total{topic="focus.agent-states.v1",service="metrics-test"} 1');
  });

  it('times requests by method, route pattern and status, with unknown URLs folded into one label', async () => {
    await (await fetch(`${t.url}/agents/7`)).text();
    await (await fetch(`${t.url}/agents/missing`)).text();
    await (await fetch(`${t.url}/no/such/url-123`)).text();
    const text = await metrics.render();
    const count = (labels: string) =>
      text.match(
        new RegExp(`^http_request_duration_seconds_count\\{service="metrics-test",${labels}\\} (\\d+)$`, 'm'),
      )?.[1];
    expect(count('method="GET",route="/agents/:id",status_code="200"')).toBe('1');
    expect(count('method="GET",route="/agents/:id",status_code="404"')).toBe('1');
    expect(count('method="GET",route="unmatched",status_code="404"')).toBe('1');
    expect(text).not.toContain('url-123');
  });
});
