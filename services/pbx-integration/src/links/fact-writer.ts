import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createEvent, formatErrors } from '@okc/contracts';
import { checkOutboxEntry, OutboxWriter, type OutboxEntry } from '@okc/messaging';
import { InjectConfig, MetricsService, ROOT_LOGGER } from '@okc/runtime';
import type { Logger } from 'pino';
import type { Counter, Gauge } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { type PbxIntegrationConfig, SERVICE_NAME } from '../config';
import type { CanonicalFact } from '../normalizer';
import { FactSpool } from './fact-spool';

interface SpooledFact {
  readonly tenantId: string;
  readonly fact: CanonicalFact;
}

const BATCH = 500;
const MAX_KEY = 512;

/** The stored identity of a fact: its factKey, or its SHA-256 when longer than the column. */
export const storedKey = (factKey: string): string =>
  factKey.length <= MAX_KEY ? factKey : `sha256:${createHash('sha256').update(factKey).digest('hex')}`;

/**
 * Takes canonical facts from every PBX link (synchronously: the AMI read path never waits) and writes them
 * to the outbox, each once: a fact whose key (tenant + factKey) is already in `pbx_facts` is dropped, so AMI
 * repeating itself, a re-sync after reconnect, a queue_log backfill or a second instance reading the same PBX
 * cannot double an event. Facts wait in a FactSpool (memory, then disk) while the database is slow or away.
 */
@Injectable()
export class FactWriter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly spool: FactSpool<SpooledFact>;
  private draining: Promise<void> | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private readonly written: Counter<'outcome'>;
  private readonly queued: Gauge;
  private readonly spilled: Gauge;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    @InjectConfig() private readonly config: PbxIntegrationConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    metrics: MetricsService,
  ) {
    this.spool = new FactSpool(
      config.PBX_SPOOL_DIR,
      config.PBX_SPOOL_MEMORY_FACTS,
      config.PBX_SPOOL_DISK_BYTES,
    );
    this.written = metrics.getOrCreateCounter({
      name: 'okc_pbx_facts_total',
      help: 'Canonical facts by outcome: written (to the outbox), duplicate (seen before), invalid, dropped (spool full)',
      labelNames: ['outcome'],
    });
    this.queued = metrics.getOrCreateGauge({
      name: 'okc_pbx_spool_facts',
      help: 'Facts waiting in memory to be written (back-pressure from the database)',
    });
    this.spilled = metrics.getOrCreateGauge({
      name: 'okc_pbx_spool_disk_bytes',
      help: 'Bytes of facts spilled to disk while the database was slow or away',
    });
  }

  onApplicationBootstrap(): void {
    this.kick(); // segments left by an earlier run
    this.pruneTimer = setInterval(() => void this.prune().catch(() => undefined), 3600_000);
    this.pruneTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    await this.draining;
  }

  /** Queues facts of a tenant (synchronous). Never throws; facts refused by a full spool are counted. */
  enqueue(tenantId: string, facts: readonly CanonicalFact[]): void {
    if (facts.length === 0) return;
    if (!this.spool.push(facts.map((fact) => ({ tenantId, fact })))) {
      this.written.inc({ outcome: 'dropped' }, facts.length);
      this.logger.error(
        { tenant: tenantId, dropped: facts.length, totalDropped: this.spool.dropped },
        'fact spool full (database away too long?): facts dropped; queue_log backfill can restore them',
      );
    }
    this.kick();
  }

  /** Resolves once everything queued so far is written (tests, shutdown, backfill). */
  async flush(): Promise<void> {
    while (!this.spool.isEmpty) {
      this.kick();
      await this.draining;
      if (!this.spool.isEmpty) await new Promise((r) => setTimeout(r, 50));
    }
  }

  get pending(): number {
    return this.spool.memoryLength;
  }

  private kick(): void {
    if (this.draining || this.stopped) return;
    this.draining = this.drain().finally(() => (this.draining = null));
  }

  private async drain(): Promise<void> {
    let failures = 0;
    while (!this.spool.isEmpty && !this.stopped) {
      this.queued.set(this.spool.memoryLength);
      this.spilled.set(this.spool.diskBytesUsed);
      const batch = this.spool.peek(BATCH);
      try {
        await this.write(batch.items);
        batch.commit();
        failures = 0;
      } catch (err) {
        failures += 1;
        const delay = Math.min(30_000, 200 * 2 ** Math.min(failures, 8));
        if (failures === 1 || failures % 10 === 0) {
          this.logger.warn(
            { err, waiting: this.spool.memoryLength, retryInMs: delay },
            'facts not written yet; retrying',
          );
        }
        // Wait without holding the drain loop; a new fact kicks it again only after the timer.
        await new Promise<void>((resolve) => {
          this.retryTimer = setTimeout(resolve, delay);
          this.retryTimer.unref();
        });
      }
    }
    this.queued.set(this.spool.memoryLength);
    this.spilled.set(this.spool.diskBytesUsed);
  }

  /** One transaction: facts not seen before get their row in pbx_facts and their event in the outbox. */
  private async write(items: readonly SpooledFact[]): Promise<void> {
    if (items.length === 0) return;
    await this.dataSource.transaction(async (m) => {
      const byTenant = new Map<string, SpooledFact[]>();
      for (const item of items) {
        const list = byTenant.get(item.tenantId) ?? [];
        list.push(item);
        byTenant.set(item.tenantId, list);
      }
      const entries: OutboxEntry[] = [];
      for (const [tenantId, list] of byTenant) entries.push(...(await this.fresh(m, tenantId, list)));
      if (entries.length > 0) await this.outbox.add(m, ...entries);
    });
  }

  private async fresh(
    m: EntityManager,
    tenantId: string,
    items: readonly SpooledFact[],
  ): Promise<OutboxEntry[]> {
    const keys = [...new Set(items.map((i) => storedKey(i.fact.factKey)))];
    const seenRows = await m.query<{ fact_key: string }[]>(
      'SELECT fact_key FROM pbx_facts WHERE tenant_id = ? AND fact_key IN (?)',
      [tenantId, keys],
    );
    const seen = new Set(seenRows.map((r) => r.fact_key));
    const entries: OutboxEntry[] = [];
    const rows: unknown[][] = [];
    for (const { fact } of items) {
      const key = storedKey(fact.factKey);
      if (seen.has(key)) {
        this.written.inc({ outcome: 'duplicate' });
        continue;
      }
      seen.add(key);
      const event = createEvent(fact.topic, {
        type: fact.type as never,
        tenantId,
        source: SERVICE_NAME,
        occurredAt: fact.occurredAt,
        data: fact.data,
      });
      const entry: OutboxEntry = { topic: fact.topic, key: fact.key, event };
      const checked = checkOutboxEntry(entry);
      if (!checked.ok) {
        // A normalizer bug must not stop the flow: log it loudly with the reason, count it, go on.
        this.written.inc({ outcome: 'invalid' });
        this.logger.error(
          { tenant: tenantId, factKey: fact.factKey, errors: formatErrors(checked.errors) },
          'invalid fact dropped',
        );
        continue;
      }
      rows.push([tenantId, key, new Date(fact.occurredAt), new Date()]);
      entries.push(entry);
    }
    if (rows.length > 0) {
      // A concurrent writer (another instance on the same PBX) may have inserted a key meanwhile: the
      // duplicate-key error rolls this batch back and it is retried, now seeing that key.
      await m.query('INSERT INTO pbx_facts (tenant_id, fact_key, occurred_at, created_at) VALUES ?', [rows]);
      this.written.inc({ outcome: 'written' }, rows.length);
    }
    return entries;
  }

  /** Fact keys older than the backfill window are forgotten (the table stays small). */
  private async prune(): Promise<void> {
    await this.dataSource.query('DELETE FROM pbx_facts WHERE occurred_at < ? LIMIT 50000', [
      new Date(Date.now() - this.config.PBX_FACT_MEMORY_DAYS * 86_400_000),
    ]);
  }
}
