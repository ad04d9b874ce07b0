import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { TopicName } from '@okc/contracts';
import {
  APP_CONFIG,
  MetricsService,
  ROOT_LOGGER,
  ReadinessRegistry,
  SERVICE_INFO,
  type KafkaConfig,
  type ServiceInfo,
} from '@okc/runtime';
import { DATABASE_CONNECTOR, type DatabaseConnector } from '@okc/persistence';
import { createIdempotentProducer, createKafka } from '../kafka/kafka.factory';
import { OutboxWriter } from '../outbox/outbox.writer';
import { OutboxRelay } from '../outbox/outbox.relay';
import { EventConsumer } from '../consumer/event-consumer';
import { backoff, errorMessage, sleep } from '../logger';

export const KAFKA = Symbol('KAFKA');
export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');

export interface MessagingModuleOptions {
  /** Topics this service consumes (its consumer group is named after the service). */
  consumes: TopicName[];
  /** Outbox relay on (default when the service has a database). */
  relay?: boolean;
}

@Injectable()
class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private admin: Admin | null = null;
  private running = true;
  private producerConnected = false;
  private startup: Promise<void> | null = null;
  private signalStop!: () => void;
  /** Resolves at shutdown: waits for the database race against it, so shutdown never waits on an outage. */
  private readonly stopped = new Promise<void>((resolve) => (this.signalStop = resolve));

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    private readonly consumer: EventConsumer,
    private readonly readiness: ReadinessRegistry,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @Optional() private readonly relay?: OutboxRelay,
    @Optional() @Inject(DATABASE_CONNECTOR) private readonly database?: DatabaseConnector,
  ) {}

  onApplicationBootstrap(): void {
    this.readiness.register({ name: 'kafka', check: () => this.check() });
    // Not awaited: the service answers (not ready) while Kafka or the database is away.
    this.startup = this.start();
  }

  private async start(): Promise<void> {
    try {
      await this.startInOrder();
    } catch (error) {
      // Only a shutdown before the database ever came up lands here.
      if (this.running) this.logger.error({ err: errorMessage(error) }, 'messaging failed to start');
    }
  }

  private async startInOrder(): Promise<void> {
    if (this.relay) {
      await this.connectProducer();
      if (!(await this.databaseReady())) return;
      this.relay.start();
    }
    if (!(await this.databaseReady())) return;
    await this.consumer.start();
  }

  /** True once the database is up (or there is none); false when the service is stopping first. */
  private async databaseReady(): Promise<boolean> {
    if (this.database) await Promise.race([this.database.ready(), this.stopped]);
    return this.running;
  }

  private async connectProducer(): Promise<void> {
    for (let attempt = 0; this.running; attempt++) {
      try {
        await this.producer.connect();
        this.producerConnected = true;
        return;
      } catch (error) {
        const delay = backoff(attempt, 500, 10_000);
        if (attempt === 0 || attempt % 10 === 9) {
          this.logger.warn(
            { err: errorMessage(error), retryInMs: delay },
            'kafka producer cannot connect; retrying',
          );
        }
        await Promise.race([sleep(delay), this.stopped]);
      }
    }
  }

  private async check(): Promise<void> {
    try {
      if (!this.admin) {
        this.admin = this.kafka.admin();
        await this.admin.connect();
      }
      await this.admin.describeCluster();
    } catch (error) {
      const admin = this.admin;
      this.admin = null;
      await admin?.disconnect().catch(() => undefined);
      throw error;
    }
    if (this.relay && !this.producerConnected) throw new Error('producer not connected');
    if (!this.consumer.isConnected) throw new Error(`consumer group ${this.consumer.groupId} not running`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.signalStop();
    await this.relay?.stop();
    await this.consumer.stop();
    await this.startup?.catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
  }
}

/**
 * Kafka for one service: `MessagingModule.forService({ consumes: [TOPICS.identityUsers] })`.
 * Provides `OutboxWriter` (write events in the domain transaction), `EventConsumer` (register handlers with
 * `consumer.on(topic, type, handler)` in `onModuleInit`), and runs the outbox relay. With PersistenceModule the
 * consumer uses the inbox; without it (gateway) handlers must be idempotent by design. Registers the `kafka`
 * readiness check. Connections retry with backoff; nothing here blocks the service's start.
 */
@Global()
@Module({})
export class MessagingModule {
  static forService(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        {
          provide: KAFKA,
          inject: [APP_CONFIG, SERVICE_INFO, ROOT_LOGGER],
          useFactory: (config: KafkaConfig, info: ServiceInfo, logger: Logger) =>
            createKafka(
              {
                brokers: config.KAFKA_BROKERS,
                clientId: config.KAFKA_CLIENT_ID ?? info.name,
                topicPrefix: config.KAFKA_TOPIC_PREFIX,
              },
              logger.child({ component: 'kafka' }),
            ),
        },
        {
          provide: KAFKA_PRODUCER,
          inject: [KAFKA],
          useFactory: (kafka: Kafka) => createIdempotentProducer(kafka),
        },
        {
          provide: OutboxRelay,
          inject: [
            KAFKA_PRODUCER,
            APP_CONFIG,
            SERVICE_INFO,
            ROOT_LOGGER,
            MetricsService,
            { token: DATABASE_CONNECTOR, optional: true },
          ],
          useFactory: (
            producer: Producer,
            config: KafkaConfig,
            info: ServiceInfo,
            logger: Logger,
            metrics: MetricsService,
            database?: DatabaseConnector,
          ) =>
            database && options.relay !== false
              ? new OutboxRelay(database.dataSource, producer, logger.child({ component: 'outbox-relay' }), {
                  service: info.name,
                  topicPrefix: config.KAFKA_TOPIC_PREFIX,
                  registry: metrics.registry,
                })
              : undefined,
        },
        // The relay wakes itself after each commit that added rows (OUTBOX_ROWS_ADDED).
        { provide: OutboxWriter, useFactory: () => new OutboxWriter() },
        {
          provide: EventConsumer,
          inject: [
            KAFKA,
            APP_CONFIG,
            SERVICE_INFO,
            ROOT_LOGGER,
            MetricsService,
            { token: DATABASE_CONNECTOR, optional: true },
          ],
          useFactory: (
            kafka: Kafka,
            config: KafkaConfig,
            info: ServiceInfo,
            logger: Logger,
            metrics: MetricsService,
            database?: DatabaseConnector,
          ) =>
            new EventConsumer(kafka, logger.child({ component: 'consumer' }), {
              service: info.name,
              topics: options.consumes,
              topicPrefix: config.KAFKA_TOPIC_PREFIX,
              registry: metrics.registry,
              ...(database ? { dataSource: database.dataSource } : {}),
            }),
        },
        MessagingLifecycle,
      ],
      exports: [KAFKA, OutboxWriter, EventConsumer],
    };
  }
}
