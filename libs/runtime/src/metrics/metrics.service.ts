import { Inject, Injectable } from '@nestjs/common';
import {
  collectDefaultMetrics,
  Counter,
  type CounterConfiguration,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  Registry,
} from 'prom-client';
import { SERVICE_INFO, type ServiceInfo } from '../config/config.tokens';
import type { HttpRequest, HttpResponse, NextFunction } from '../http/http.types';

type MetricClass = typeof Counter | typeof Gauge | typeof Histogram;

/** Label of requests no route matched, so unknown URLs cannot blow up the label cardinality. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The service's one Prometheus registry: default Node metrics, the HTTP request duration histogram, and
 * whatever other libs add. Every series carries a `service` label. Metric creation is idempotent by name,
 * so two providers asking for the same counter share it.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(@Inject(SERVICE_INFO) info: ServiceInfo) {
    this.registry.setDefaultLabels({ service: info.name });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = this.getOrCreateHistogram({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  }

  getOrCreateCounter<L extends string>(config: CounterConfiguration<L>): Counter<L> {
    return (
      this.existing<Counter<L>>(config.name, Counter) ??
      new Counter({ ...config, registers: [this.registry] })
    );
  }

  getOrCreateGauge<L extends string>(config: GaugeConfiguration<L>): Gauge<L> {
    return (
      this.existing<Gauge<L>>(config.name, Gauge) ?? new Gauge({ ...config, registers: [this.registry] })
    );
  }

  getOrCreateHistogram<L extends string>(config: HistogramConfiguration<L>): Histogram<L> {
    return (
      this.existing<Histogram<L>>(config.name, Histogram) ??
      new Histogram({ ...config, registers: [this.registry] })
    );
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Express middleware timing every request; the route label is the matched pattern, not the raw URL. */
  httpMiddleware(): (req: HttpRequest, res: HttpResponse, next: NextFunction) => void {
    return (req, res, next) => {
      const stop = this.httpDuration.startTimer();
      res.once('finish', () => {
        stop({
          method: req.method ?? 'UNKNOWN',
          route: routeLabel(req, res),
          status_code: String(res.statusCode),
        });
      });
      next();
    };
  }

  private existing<M>(name: string, kind: MetricClass): M | undefined {
    const metric = this.registry.getSingleMetric(name);
    if (!metric) return undefined;
    if (!(metric instanceof kind)) {
      throw new Error(
        `Metric "${name}" is already registered as a ${metric.constructor.name}, not a ${kind.name}`,
      );
    }
    return metric as M;
  }
}

/**
 * The matched route pattern (`/api/v1/focus/agents/:id`). A 404 from a catch-all pattern (Nest's not-found
 * handler is mounted at `{/*splat}`) and requests that never reached a route count as unmatched.
 */
function routeLabel(req: HttpRequest, res: HttpResponse): string {
  const path = req.route?.path;
  if (typeof path !== 'string') return UNMATCHED_ROUTE;
  if (res.statusCode === 404 && path.includes('*')) return UNMATCHED_ROUTE;
  return path;
}
