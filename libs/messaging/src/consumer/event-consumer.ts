import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { Counter, type Registry } from 'prom-client';
import { HEADERS, dlqTopicOf, formatErrors, validate, type Envelope, type TopicName } from '@okc/contracts';
import { Sleeper, backoff, errorMessage, type MessagingLogger } from '../logger';
import { getOrCreateMetric } from '../metrics';
import { claimInbox, claimInboxBatch } from '../inbox/inbox';
import { isTransientError } from './transient-errors';

export interface HandlerContext {
  /** The transaction that also records the inbox row (null when the consumer runs without a database). */
  manager: EntityManager | null;
  topic: TopicName;
  partition: number;
  offset: string;
}

export type EventHandler = (event: Envelope, context: HandlerContext) => Promise<void>;

export interface EventConsumerOptions {
  /** The service name: consumer group id (after the topic prefix) and the inbox `consumer` column. */
  service: string;
  /** Overrides the group id (`<topicPrefix><service>`); tests use it to run two groups of one service. */
  groupId?: string;
  topics: TopicName[];
  topicPrefix: string;
  /** Inbox mode: effects and the inbox row commit together. Without it, handlers must be idempotent by design. */
  dataSource?: DataSource;
  /** Attempts of a failing handler before the event goes to the DLQ. Transient infrastructure errors do not count. */
  maxAttempts?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** Events applied in one transaction on the fast path. */
  chunkSize?: number;
  partitionsConsumedConcurrently?: number;
  registry?: Registry;
}

interface Decoded {
  message: KafkaMessage;
  event: Envelope;
}

type Outcome = 'processed' | 'duplicate' | 'ignored' | 'dead-lettered';

/**
 * A consumer group of one service. Every message is validated (invalid → DLQ with the field errors, at once);
 * valid events go to the handler registered for their type. In inbox mode a chunk of events is applied in one
 * transaction (fast path); if anything in it fails, the chunk is rolled back and replayed one event per
 * transaction with retries and backoff, so one poison event goes to the DLQ with its reason and the others take
 * effect. Infrastructure outages (database or Kafka down) are retried without limit and never dead-letter.
 */
export class EventConsumer {
  private readonly handlers = new Map<string, EventHandler>();
  private consumer: Consumer | null = null;
  private dlqProducer: Producer | null = null;
  private running = false;
  private connected = false;
  private startPromise: Promise<void> | null = null;
  private readonly sleeper = new Sleeper();
  private readonly consumed: Counter;
  private readonly retries: Counter;
  private readonly maxAttempts: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly chunkSize: number;

  constructor(
    private readonly kafka: Kafka,
    private readonly logger: MessagingLogger,
    private readonly options: EventConsumerOptions,
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryInitialMs = options.retryInitialMs ?? 200;
    this.retryMaxMs = options.retryMaxMs ?? 5000;
    this.chunkSize = options.chunkSize ?? 200;
    this.consumed = getOrCreateMetric(options.registry, Counter, {
      name: 'okc_events_consumed_total',
      help: 'Events consumed, by outcome (processed, duplicate, ignored, dead-lettered)',
      labelNames: ['service', 'topic', 'outcome'],
    });
    this.retries = getOrCreateMetric(options.registry, Counter, {
      name: 'okc_event_handler_retries_total',
      help: 'Handler attempts that failed and were retried',
      labelNames: ['service', 'topic', 'transient'],
    });
  }

  get groupId(): string {
    return this.options.groupId ?? `${this.options.topicPrefix}${this.options.service}`;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** Registers the handler of one event type (or `*` for every type) of a consumed topic. */
  on(topic: TopicName, type: string, handler: EventHandler): this {
    if (!this.options.topics.includes(topic))
      throw new Error(`${this.options.service} does not consume ${topic}`);
    const key = `${topic}|${type}`;
    if (this.handlers.has(key)) throw new Error(`a handler for ${key} is already registered`);
    this.handlers.set(key, handler);
    return this;
  }

  /** Connects in the background, retrying with backoff until it works or `stop()` is called. */
  start(): Promise<void> {
    if (!this.startPromise) {
      this.running = true;
      this.startPromise = this.connectLoop();
    }
    return this.startPromise;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.sleeper.wakeAll();
    await this.startPromise?.catch(() => undefined);
    await this.consumer?.disconnect().catch(() => undefined);
    await this.dlqProducer?.disconnect().catch(() => undefined);
    this.connected = false;
  }

  private async connectLoop(): Promise<void> {
    let attempt = 0;
    while (this.running) {
      try {
        await this.connectOnce();
        if (this.consumer)
          this.logger.info({ groupId: this.groupId, topics: this.subscribedTopics() }, 'consumer started');
        return;
      } catch (error) {
        await this.consumer?.disconnect().catch(() => undefined);
        const delay = backoff(attempt++, 500, 10_000);
        if (attempt === 1 || attempt % 10 === 0) {
          this.logger.warn(
            { err: errorMessage(error), attempt, retryInMs: delay },
            'consumer cannot connect; retrying',
          );
        }
        await this.sleeper.sleep(delay);
      }
    }
  }

  /** Topics with at least one handler: a topic nobody handles yet is not subscribed, so its offsets do not move. */
  private subscribedTopics(): TopicName[] {
    return this.options.topics.filter((t) => [...this.handlers.keys()].some((k) => k.startsWith(`${t}|`)));
  }

  private async connectOnce(): Promise<void> {
    const topics = this.subscribedTopics();
    if (topics.length === 0) {
      this.connected = true;
      this.logger.info(
        { service: this.options.service },
        'no event handlers registered; consumer not started',
      );
      return;
    }
    this.dlqProducer ??= this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await this.dlqProducer.connect();
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CONNECT, () => (this.connected = true));
    consumer.on(consumer.events.DISCONNECT, () => (this.connected = false));
    consumer.on(consumer.events.CRASH, (event) => {
      this.connected = false;
      const restart = (event.payload as { restart?: boolean }).restart;
      this.logger.error({ err: errorMessage(event.payload.error), restart }, 'consumer crashed');
      if (!restart && this.running) {
        this.startPromise = this.connectLoop();
      }
    });
    await consumer.connect();
    await consumer.subscribe({
      topics: topics.map((t) => `${this.options.topicPrefix}${t}`),
      fromBeginning: true,
    });
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.connected = true;
  }

  private unprefix(topic: string): TopicName {
    return topic.slice(this.options.topicPrefix.length) as TopicName;
  }

  private handlerFor(topic: TopicName, type: string): EventHandler | undefined {
    return this.handlers.get(`${topic}|${type}`) ?? this.handlers.get(`${topic}|*`);
  }

  private decode(
    topic: TopicName,
    message: KafkaMessage,
  ): { ok: true; event: Envelope } | { ok: false; reason: string } {
    if (!message.value) return { ok: false, reason: 'empty message value' };
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.value.toString('utf8'));
    } catch (error) {
      return { ok: false, reason: `malformed JSON: ${errorMessage(error)}` };
    }
    const result = validate(topic, parsed);
    return result.ok
      ? { ok: true, event: result.event }
      : { ok: false, reason: `invalid event: ${formatErrors(result.errors)}` };
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const topic = this.unprefix(batch.topic);
    let chunk: Decoded[] = [];
    const flush = async () => {
      if (chunk.length) await this.applyChunk(topic, batch.partition, chunk, payload);
      chunk = [];
    };
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) break;
      const decoded = this.decode(topic, message);
      if (!decoded.ok) {
        await flush();
        await this.deadLetter(topic, batch.partition, message, decoded.reason);
        payload.resolveOffset(message.offset);
        continue;
      }
      chunk.push({ message, event: decoded.event });
      if (chunk.length >= this.chunkSize) {
        await flush();
        await payload.heartbeat();
      }
    }
    await flush();
  }

  private async applyChunk(
    topic: TopicName,
    partition: number,
    chunk: Decoded[],
    payload: EachBatchPayload,
  ): Promise<void> {
    const dataSource = this.options.dataSource;
    if (dataSource && chunk.length > 1) {
      try {
        const outcomes = await dataSource.transaction((manager) =>
          this.applyAll(topic, partition, chunk, manager),
        );
        chunk.forEach((item, i) => {
          this.count(topic, outcomes[i] ?? 'processed');
          payload.resolveOffset(item.message.offset);
        });
        return;
      } catch (error) {
        this.logger.debug(
          { err: errorMessage(error), topic, size: chunk.length },
          'chunk failed; replaying one by one',
        );
      }
    }
    for (const item of chunk) {
      if (!payload.isRunning() || payload.isStale()) return;
      await this.applyWithRetry(topic, partition, item, payload);
      payload.resolveOffset(item.message.offset);
    }
  }

  /**
   * The fast path: one inbox insert for the whole chunk, then the handlers, in one transaction. Copies of one
   * event inside the chunk are applied once; an event applied before makes the insert fail, and the caller
   * replays the chunk one event at a time.
   */
  private async applyAll(
    topic: TopicName,
    partition: number,
    chunk: Decoded[],
    manager: EntityManager,
  ): Promise<Outcome[]> {
    const seen = new Set<string>();
    const plan = chunk.map((item): { item: Decoded; handler?: EventHandler; duplicate: boolean } => {
      const handler = this.handlerFor(topic, item.event.type);
      const duplicate = handler !== undefined && seen.has(item.event.id);
      if (handler) seen.add(item.event.id);
      return { item, handler, duplicate };
    });
    await claimInboxBatch(
      manager,
      this.options.service,
      topic,
      plan.filter((p) => p.handler && !p.duplicate).map((p) => p.item.event),
    );
    const outcomes: Outcome[] = [];
    for (const { item, handler, duplicate } of plan) {
      if (!handler) outcomes.push('ignored');
      else if (duplicate) outcomes.push('duplicate');
      else {
        await handler(item.event, { manager, topic, partition, offset: item.message.offset });
        outcomes.push('processed');
      }
    }
    return outcomes;
  }

  private async applyOne(
    topic: TopicName,
    partition: number,
    item: Decoded,
    manager: EntityManager | null,
  ): Promise<Outcome> {
    const handler = this.handlerFor(topic, item.event.type);
    if (!handler) return 'ignored';
    if (manager && !(await claimInbox(manager, this.options.service, topic, item.event))) return 'duplicate';
    await handler(item.event, { manager, topic, partition, offset: item.message.offset });
    return 'processed';
  }

  private async applyWithRetry(
    topic: TopicName,
    partition: number,
    item: Decoded,
    payload: EachBatchPayload,
  ): Promise<void> {
    let failures = 0;
    let transientFailures = 0;
    for (;;) {
      try {
        const dataSource = this.options.dataSource;
        const outcome = dataSource
          ? await dataSource.transaction((manager) => this.applyOne(topic, partition, item, manager))
          : await this.applyOne(topic, partition, item, null);
        this.count(topic, outcome);
        return;
      } catch (error) {
        const transient = isTransientError(error);
        this.retries.inc({ service: this.options.service, topic, transient: String(transient) });
        if (transient) {
          // The database or broker is away: wait for it, however long; never dead-letter a good event for that.
          if (!payload.isRunning()) throw error;
          const delay = backoff(transientFailures++, this.retryInitialMs, 10_000);
          if (transientFailures === 1 || transientFailures % 20 === 0) {
            this.logger.warn(
              { err: errorMessage(error), topic, eventId: item.event.id, retryInMs: delay },
              'transient failure; retrying',
            );
          }
          await this.sleeper.sleep(delay);
          this.abortIfStopping();
          await payload.heartbeat().catch(() => undefined);
          continue;
        }
        failures++;
        if (failures >= this.maxAttempts) {
          await this.deadLetter(
            topic,
            partition,
            item.message,
            `handler failed ${failures} times: ${errorMessage(error)}`,
            item.event,
          );
          return;
        }
        await this.sleeper.sleep(backoff(failures - 1, this.retryInitialMs, this.retryMaxMs));
        this.abortIfStopping();
        await payload.heartbeat().catch(() => undefined);
      }
    }
  }

  /** A stop cut a retry's backoff short: give up the batch unacknowledged (it is redelivered), never dead-letter it. */
  private abortIfStopping(): void {
    if (!this.running) throw new Error('consumer stopping; the event will be redelivered');
  }

  private async deadLetter(
    topic: TopicName,
    partition: number,
    message: KafkaMessage,
    reason: string,
    event?: Envelope,
  ): Promise<void> {
    const dlq = `${this.options.topicPrefix}${dlqTopicOf(topic)}`;
    const headers: Record<string, string | Buffer> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) {
      if (typeof value === 'string' || Buffer.isBuffer(value)) headers[name] = value;
    }
    Object.assign(headers, {
      [HEADERS.dlqReason]: reason.slice(0, 4000),
      [HEADERS.dlqSourceTopic]: topic,
      [HEADERS.dlqConsumer]: this.options.service,
      'dlq-source-partition': String(partition),
      'dlq-source-offset': message.offset,
      'dlq-failed-at': new Date().toISOString(),
    });
    await this.dlqProducer!.send({
      topic: dlq,
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
    this.count(topic, 'dead-lettered');
    this.logger.error(
      { topic, partition, offset: message.offset, eventId: event?.id, eventType: event?.type, reason },
      'event dead-lettered',
    );
  }

  private count(topic: TopicName, outcome: Outcome): void {
    this.consumed.inc({ service: this.options.service, topic, outcome });
  }
}
