import type { Producer, Message } from 'kafkajs';
import type { DataSource, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import { Counter, Gauge, type Registry } from 'prom-client';
import { HEADERS } from '@okc/contracts';
import { Sleeper, backoff, errorMessage, type MessagingLogger } from '../logger';
import { getOrCreateMetric } from '../metrics';
import { OUTBOX_ROWS_ADDED } from './outbox.writer';

export interface OutboxRelayOptions {
  topicPrefix: string;
  /** Rows published per transaction. */
  batchSize?: number;
  /** Sleep between polls when there was nothing to send. */
  idlePollMs?: number;
  /** Delete rows sent longer ago than this (0 keeps them). */
  retentionMs?: number;
  service: string;
  registry?: Registry;
  /** Called after a batch reached Kafka and before it is marked sent (metrics, tests that crash mid-batch). */
  onBatchSent?: (count: number) => Promise<void> | void;
}

interface OutboxRow {
  id: string | number;
  topic: string;
  message_key: string;
  event_id: string;
  event_type: string;
  tenant_id: string;
  payload: string;
}

/**
 * Publishes outbox rows to Kafka: in one READ COMMITTED transaction it locks the free ordering lanes
 * (`SELECT … FOR UPDATE SKIP LOCKED`), reads their unsent rows in id order, sends them with the idempotent
 * producer and acks=all, and marks them sent. Another relay instance skips the locked lanes, so several relays
 * are safe and one key's events are never sent out of order. A crash after the send and before the commit
 * re-sends those rows: delivery is at-least-once and consumers dedupe through the inbox.
 */
export class OutboxRelay {
  private running = false;
  private loopPromise: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private lastCleanup = 0;
  private readonly sleeper = new Sleeper();
  private readonly batchSize: number;
  private readonly idlePollMs: number;
  private readonly retentionMs: number;
  private readonly published: Counter;
  private readonly backlog: Gauge;
  private readonly oldestAge: Gauge;
  private readonly failures: Counter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly logger: MessagingLogger,
    private readonly options: OutboxRelayOptions,
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.idlePollMs = options.idlePollMs ?? 20;
    this.retentionMs = options.retentionMs ?? 60 * 60 * 1000;
    const registry = options.registry;
    this.published = getOrCreateMetric(registry, Counter, {
      name: 'okc_outbox_published_total',
      help: 'Outbox events published to Kafka',
      labelNames: ['service', 'topic'],
    });
    this.failures = getOrCreateMetric(registry, Counter, {
      name: 'okc_outbox_publish_failures_total',
      help: 'Outbox relay batches that failed and will be retried',
      labelNames: ['service'],
    });
    this.backlog = getOrCreateMetric(registry, Gauge, {
      name: 'okc_outbox_backlog',
      help: 'Outbox events not yet published',
      labelNames: ['service'],
    });
    this.oldestAge = getOrCreateMetric(registry, Gauge, {
      name: 'okc_outbox_oldest_unsent_seconds',
      help: 'Age of the oldest unpublished outbox event',
      labelNames: ['service'],
    });
  }

  /** Wakes the relay once a transaction that added outbox rows has committed (OutboxWriter marks it). */
  private readonly afterCommit: EntitySubscriberInterface = {
    afterTransactionCommit: ({ queryRunner }: TransactionCommitEvent) => {
      const data = queryRunner.data as Record<string, unknown>;
      if (!data[OUTBOX_ROWS_ADDED] || queryRunner.isTransactionActive) return; // a savepoint: not yet
      delete data[OUTBOX_ROWS_ADDED];
      this.wake();
    },
  };

  start(): void {
    if (this.running) return;
    this.running = true;
    this.dataSource.subscribers.push(this.afterCommit);
    this.loopPromise = this.loop();
  }

  /** Makes an idle relay poll now (call after committing an outbox write). */
  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    const index = this.dataSource.subscribers.indexOf(this.afterCommit);
    if (index !== -1) this.dataSource.subscribers.splice(index, 1);
    this.running = false;
    this.wake();
    this.sleeper.wakeAll();
    await this.loopPromise;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const sent = await this.publishBatch();
        failures = 0;
        if (sent === 0) await this.idle();
        await this.maybeCleanup();
      } catch (error) {
        this.failures.inc({ service: this.options.service });
        const delay = backoff(failures++, 200, 10_000);
        if (failures === 1 || failures % 20 === 0) {
          this.logger.warn(
            { err: errorMessage(error), attempt: failures, retryInMs: delay },
            'outbox relay: publish failed; retrying',
          );
        }
        await this.sleeper.sleep(delay);
      }
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, this.idlePollMs);
      this.wakeUp = done;
    });
  }

  /** One transaction: lock free lanes, send their oldest unsent rows, mark them sent. Returns rows sent. */
  async publishBatch(): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('READ COMMITTED');
      try {
        const lanes = (await runner.query(
          'SELECT lane FROM outbox_lane ORDER BY lane FOR UPDATE SKIP LOCKED',
        )) as {
          lane: number;
        }[];
        if (lanes.length === 0) {
          await runner.commitTransaction();
          return 0;
        }
        const rows = (await runner.query(
          `SELECT id, topic, message_key, event_id, event_type, tenant_id, payload
             FROM outbox WHERE sent_at IS NULL AND lane IN (?) ORDER BY id LIMIT ?`,
          [lanes.map((l) => l.lane), this.batchSize],
        )) as OutboxRow[];
        if (rows.length === 0) {
          await runner.commitTransaction();
          return 0;
        }
        await this.send(rows);
        await this.options.onBatchSent?.(rows.length);
        await runner.query('UPDATE outbox SET sent_at = ? WHERE id IN (?)', [
          new Date(),
          rows.map((r) => r.id),
        ]);
        await runner.commitTransaction();
        for (const row of rows) this.published.inc({ service: this.options.service, topic: row.topic });
        return rows.length;
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  private async send(rows: OutboxRow[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const row of rows) {
      const topic = `${this.options.topicPrefix}${row.topic}`;
      const messages = byTopic.get(topic) ?? [];
      messages.push({
        key: row.message_key,
        value: row.payload,
        headers: {
          [HEADERS.eventId]: row.event_id,
          [HEADERS.eventType]: row.event_type,
          [HEADERS.tenantId]: row.tenant_id,
        },
      });
      byTopic.set(topic, messages);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  private async maybeCleanup(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCleanup < 10_000) return;
    this.lastCleanup = now;
    const [stats] = await this.dataSource.query<{ pending: number | string; oldest: Date | null }[]>(
      'SELECT COUNT(*) AS pending, MIN(created_at) AS oldest FROM outbox WHERE sent_at IS NULL',
    );
    this.backlog.set({ service: this.options.service }, Number(stats?.pending ?? 0));
    this.oldestAge.set(
      { service: this.options.service },
      stats?.oldest ? Math.max(0, (now - new Date(stats.oldest).getTime()) / 1000) : 0,
    );
    if (this.retentionMs > 0) {
      await this.dataSource.query('DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ? LIMIT 5000', [
        new Date(now - this.retentionMs),
      ]);
    }
  }

  /** Unsent rows right now (for readiness details, tests and benchmarks). */
  async pending(): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number | string }[]>(
      'SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL',
    );
    return Number(row?.n ?? 0);
  }
}
