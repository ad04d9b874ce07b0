import { Kafka, logLevel, type LogEntry, type Producer } from 'kafkajs';
import type { MessagingLogger } from '../logger';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** Prepended to every topic name; empty in normal use, unique per test run in integration tests. */
  topicPrefix: string;
}

/**
 * kafkajs is kept behind this lib (it has had no release since 2023) so that it can be swapped for another
 * client without touching services.
 */
export function createKafka(settings: KafkaSettings, logger: MessagingLogger): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 200, retries: 5, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...rest } = log;
        const entry = { ...rest, kafkaLevel: level };
        if (level <= logLevel.ERROR) logger.error(entry, `kafka: ${message}`);
        else logger.warn(entry, `kafka: ${message}`);
      },
  });
}

/** The one producer configuration: idempotent, acks=all (set per send), ordered per partition. */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 5000 },
  });
}

export function prefixed(settings: Pick<KafkaSettings, 'topicPrefix'>, topic: string): string {
  return `${settings.topicPrefix}${topic}`;
}

/** Creates missing topics (and never shrinks existing ones). Used by tests and benchmarks. */
export async function ensureTopics(
  kafka: Kafka,
  topics: { topic: string; partitions: number }[],
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({ topic: t.topic, numPartitions: t.partitions, replicationFactor: 1 })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}
