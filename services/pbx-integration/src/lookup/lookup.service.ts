import { Inject, Injectable } from '@nestjs/common';
import { InjectConfig, MetricsService, REDIS_CLIENT, ROOT_LOGGER } from '@okc/runtime';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Counter, Histogram } from 'prom-client';
import type { PbxIntegrationConfig } from '../config';
import { HttpJsonLookupRunner } from './http-json-lookup.runner';
import { causeMessage, LookupFailure } from './lookup.errors';
import type { LookupConnector } from './lookup-connector.entity';
import { LookupConnectorsService, poolKey } from './lookup-connectors.service';
import { CALLER_NUMBER, type LookupOutcome, type LookupTestResultDto } from './lookups.dto';
import { MysqlLookupRunner } from './mysql-lookup.runner';
import { type FieldsFound, mergeScreenPops, type ScreenPop } from './screen-pop';

/** Where a lookup's answer came from, for the metrics. */
type LookupSource = 'call' | 'cache' | 'test';

interface CachedAnswer {
  /** The screen pop found, or null for a cached "not found". */
  v: ScreenPop | null;
}

/**
 * Looks a caller up in the tenant's third-party systems for the operator's screen pop.
 *
 * `lookup` runs the tenant's enabled connectors at once, each bounded by its own timeout, and answers by
 * LOOKUP_DEADLINE_MS whatever has arrived by then, merged in priority order (the first connector to find a
 * key wins it): a slow or failing system never delays the call beyond the deadline. A connector still
 * running at the deadline goes on within its own timeout and caches its answer for the next call. Answers
 * are cached in Redis per tenant, connector (and its version) and number: a found answer for the
 * connector's cacheTtlS, a "not found" for at most LOOKUP_MISS_TTL_S; failures are not cached.
 */
@Injectable()
export class LookupService {
  private readonly lookups: Counter<'type' | 'outcome' | 'source'>;
  private readonly durations: Histogram<'type' | 'outcome'>;
  private readonly late: Counter<'type'>;
  /** Lookups running now, by cache key: a call offered to several agents at once asks each system once. */
  private readonly inFlight = new Map<string, Promise<ScreenPop | null>>();

  constructor(
    private readonly connectors: LookupConnectorsService,
    private readonly http: HttpJsonLookupRunner,
    private readonly mysql: MysqlLookupRunner,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @InjectConfig() private readonly config: PbxIntegrationConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    metrics: MetricsService,
  ) {
    this.lookups = metrics.getOrCreateCounter({
      name: 'okc_lookups_total',
      help: 'Caller lookups by connector type, outcome (hit, miss, timeout, error) and source (call, cache, test)',
      labelNames: ['type', 'outcome', 'source'],
    });
    this.durations = metrics.getOrCreateHistogram({
      name: 'okc_lookup_duration_seconds',
      help: 'Duration of caller lookups that reached the third-party system, by connector type and outcome',
      labelNames: ['type', 'outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5, 5, 10],
    });
    this.late = metrics.getOrCreateCounter({
      name: 'okc_lookup_deadline_missed_total',
      help: 'Connectors still running at LOOKUP_DEADLINE_MS, left out of the screen pop, by connector type',
      labelNames: ['type'],
    });
  }

  /**
   * The screen pop for a caller: what the tenant's enabled connectors found by the deadline, merged; null
   * when nothing was found (or the number cannot be looked up). Never throws.
   */
  async lookup(tenantId: string, callerNumber: string): Promise<ScreenPop | null> {
    const number = callerNumber.trim();
    if (!CALLER_NUMBER.test(number)) return null;
    let connectors: LookupConnector[] = [];
    const found = new Map<number, ScreenPop | null>();
    const work = (async () => {
      connectors = await this.connectors.enabled(tenantId);
      await Promise.all(
        connectors.map(async (connector, index) => {
          found.set(index, await this.cachedRun(connector, number));
        }),
      );
    })().catch((err: unknown) => {
      this.logger.warn({ tenant: tenantId, err: causeMessage(err) }, 'caller lookup skipped');
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.config.LOOKUP_DEADLINE_MS);
    });
    await Promise.race([work, deadline]);
    clearTimeout(timer);
    connectors.forEach((connector, index) => {
      if (!found.has(index)) this.late.inc({ type: connector.type });
    });
    return mergeScreenPops(connectors.map((_, index) => found.get(index)));
  }

  /** Runs one connector once, uncached, and tells what happened (the admin's test). */
  async test(tenantId: string, id: string, number: string): Promise<LookupTestResultDto> {
    const connector = await this.connectors.get(tenantId, id);
    return this.runFresh(connector, number, 'test');
  }

  /** One connector's answer: from the cache, from a lookup already running, or from a fresh one. */
  private async cachedRun(connector: LookupConnector, number: string): Promise<ScreenPop | null> {
    const key = cacheKey(connector, number);
    if (connector.cacheTtlS > 0) {
      const cached = await this.redis
        .get(key)
        .then((raw) => (raw === null ? undefined : (JSON.parse(raw) as CachedAnswer)))
        .catch(() => undefined); // Redis away (or a value it cannot read): look up without the cache.
      if (cached) {
        this.lookups.inc({ type: connector.type, outcome: cached.v ? 'hit' : 'miss', source: 'cache' });
        return cached.v;
      }
    }
    const running = this.inFlight.get(key);
    if (running) return running;
    const run = (async () => {
      const result = await this.runFresh(connector, number, 'call');
      const ttl =
        result.outcome === 'hit'
          ? connector.cacheTtlS
          : result.outcome === 'miss'
            ? Math.min(connector.cacheTtlS, this.config.LOOKUP_MISS_TTL_S)
            : 0;
      if (ttl > 0) {
        const answer: CachedAnswer = { v: result.screenPop };
        await this.redis.set(key, JSON.stringify(answer), 'EX', ttl).catch(() => undefined);
      }
      return result.screenPop;
    })().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, run);
    return run;
  }

  /** Runs one connector against its system, measured and counted; failures become the outcome. */
  private async runFresh(
    connector: LookupConnector,
    number: string,
    source: LookupSource,
  ): Promise<LookupTestResultDto> {
    const started = performance.now();
    let outcome: LookupOutcome;
    let fields: FieldsFound = { screenPop: null, missingKeys: Object.keys(connector.fieldMapping) };
    let error: string | null = null;
    try {
      fields = await this.runConnector(connector, number);
      outcome = fields.screenPop ? 'hit' : 'miss';
    } catch (err) {
      outcome = err instanceof LookupFailure ? err.outcome : 'error';
      error = err instanceof LookupFailure ? err.message : `the lookup failed: ${causeMessage(err)}`;
      if (source === 'call') {
        this.logger.info(
          { tenant: connector.tenantId, connector: connector.id, name: connector.name, outcome, error },
          'caller lookup failed; the screen pop goes without it',
        );
      }
    }
    const seconds = (performance.now() - started) / 1000;
    this.lookups.inc({ type: connector.type, outcome, source });
    this.durations.observe({ type: connector.type, outcome }, seconds);
    return {
      outcome,
      screenPop: fields.screenPop,
      missingKeys: fields.missingKeys,
      durationMs: Math.round(seconds * 1000),
      error,
    };
  }

  private runConnector(connector: LookupConnector, number: string): Promise<FieldsFound> {
    const config = this.connectors.configOf(connector);
    switch (config.type) {
      case 'http-json':
        return this.http.run(config, number);
      case 'mysql':
        return this.mysql.run(poolKey(connector), config, number);
    }
  }
}

/**
 * `<tenant>:lookup:<connector>:<version>:<number>`: prefixed by tenant (ARCHITECTURE.md §6); the version
 * (the connector's last change) retires the answers of a connector's previous settings.
 */
function cacheKey(connector: LookupConnector, number: string): string {
  return `${connector.tenantId}:lookup:${connector.id}:${connector.updatedAt.getTime()}:${number}`;
}
