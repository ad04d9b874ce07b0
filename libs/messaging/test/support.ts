import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { DataSource } from 'typeorm';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { createDataSource } from '@okc/persistence';
import { TOPICS } from '@okc/contracts';
import {
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  getTestInfra,
  makeEvent,
  type TestDatabase,
  type TestInfra,
} from '@okc/testing';
import {
  InboxRecord,
  OutboxLane,
  OutboxMessage,
  OutboxWriter,
  createMessagingTables,
  dropMessagingTables,
} from '../src';

/** The messaging tables plus a tiny domain: `ticket` rows and an `effect_log` that records every applied effect. */
export class TestSchema1700000000000 implements MigrationInterface {
  name = 'TestSchema1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await createMessagingTables(q);
    await q.query(
      'CREATE TABLE ticket (id INT AUTO_INCREMENT PRIMARY KEY, tenant_id VARCHAR(64) NOT NULL, subject VARCHAR(200) NOT NULL)',
    );
    // Deliberately no unique key on event_id: a duplicate effect would show up as a second row.
    await q.query(
      'CREATE TABLE effect_log (id INT AUTO_INCREMENT PRIMARY KEY, consumer VARCHAR(64) NOT NULL, event_id CHAR(36) NOT NULL, call_id VARCHAR(64) NOT NULL, seq INT NOT NULL)',
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE effect_log');
    await q.query('DROP TABLE ticket');
    await dropMessagingTables(q);
  }
}

export interface MessagingFixture {
  infra: TestInfra;
  database: TestDatabase;
  dataSource: DataSource;
  kafka: Kafka;
  close(): Promise<void>;
}

export async function setUpMessaging(name: string): Promise<MessagingFixture> {
  const infra = await getTestInfra();
  const database = await createTestDatabase(infra, name);
  const dataSource = createDataSource(database.config, {
    service: name,
    entities: [OutboxMessage, OutboxLane, InboxRecord],
    migrations: [TestSchema1700000000000],
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  await createTestTopics(infra, [TOPICS.telephonyCalls]);
  const kafka = new Kafka({
    clientId: `test-${name}`,
    brokers: infra.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  return {
    infra,
    database,
    dataSource,
    kafka,
    async close() {
      await dataSource.destroy();
      await database.drop();
      await deleteTestTopics(infra);
    },
  };
}

/** A `call.queued` event whose position is its sequence number within its call: ordering is checkable. */
export function sequencedEvent(callId: string, seq: number, tenantId = 'demo') {
  return makeEvent(TOPICS.telephonyCalls, 'call.queued', { tenantId, data: { callId, position: seq } });
}

/** Writes `perKey` sequenced events for each of `keys` calls through the outbox, `perTx` events per transaction. */
export async function writeSequencedEvents(
  dataSource: DataSource,
  keys: string[],
  perKey: number,
  perTx = 50,
): Promise<number> {
  const writer = new OutboxWriter();
  const all = [];
  for (let seq = 1; seq <= perKey; seq++) for (const key of keys) all.push({ key, seq });
  for (let i = 0; i < all.length; i += perTx) {
    const slice = all.slice(i, i + perTx);
    await dataSource.transaction((m) =>
      writer.add(
        m,
        ...slice.map(({ key, seq }) => ({
          topic: TOPICS.telephonyCalls,
          key,
          event: sequencedEvent(key, seq),
        })),
      ),
    );
  }
  return all.length;
}

/** Reads every message of a topic from the beginning with a throwaway group until `until` says stop. */
export async function collectTopic(
  kafka: Kafka,
  topic: string,
  until: (messages: KafkaMessage[]) => boolean,
  timeoutMs = 60_000,
): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({
    groupId: `collector-${topic}-${Math.random().toString(36).slice(2)}`,
    maxWaitTimeInMs: 100,
  });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`collected ${messages.length} messages of ${topic} before the timeout`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: ({ message }) => {
          messages.push(message);
          if (until(messages)) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

export interface Delivered {
  eventId: string;
  callId: string;
  seq: number;
}

export function decodeDelivered(message: KafkaMessage): Delivered {
  const event = JSON.parse(message.value!.toString()) as {
    id: string;
    data: { callId: string; position: number };
  };
  return { eventId: event.id, callId: event.data.callId, seq: event.data.position };
}

/** First-delivery order per key, after dropping re-sent duplicates (what an inbox consumer applies). */
export function firstDeliveryOrderByKey(delivered: Delivered[]): Map<string, number[]> {
  const seen = new Set<string>();
  const byKey = new Map<string, number[]>();
  for (const d of delivered) {
    if (seen.has(d.eventId)) continue;
    seen.add(d.eventId);
    byKey.set(d.callId, [...(byKey.get(d.callId) ?? []), d.seq]);
  }
  return byKey;
}

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
