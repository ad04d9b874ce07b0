import { Kafka, logLevel } from 'kafkajs';
import { TOPIC_SPECS, dlqTopicOf, type TopicName } from '@okc/contracts';
import type { TestInfra } from './test-infra';

export function testKafka(infra: TestInfra, clientId = `test-${infra.runId}`): Kafka {
  return new Kafka({
    clientId,
    brokers: infra.kafkaBrokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 5 },
  });
}

/**
 * Creates this run's copies of the given topics and their DLQ twins, `<prefix><topic>`; the prefix must
 * start with the run's `topicPrefix` (so `deleteTestTopics` removes them).
 */
export async function createTestTopics(
  infra: TestInfra,
  topics: TopicName[],
  partitions?: number,
  prefix = infra.topicPrefix,
): Promise<void> {
  if (!prefix.startsWith(infra.topicPrefix)) throw new Error(`${prefix} is not under ${infra.topicPrefix}`);
  const kafka = testKafka(infra, `test-admin-${infra.runId}`);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = topics.flatMap((topic) => {
      const count = partitions ?? TOPIC_SPECS[topic].partitions;
      return [topic, dlqTopicOf(topic)].map((t) => ({
        topic: `${prefix}${t}`,
        numPartitions: count,
      }));
    });
    const missing = wanted.filter((t) => !existing.has(t.topic));
    if (missing.length) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({ ...t, replicationFactor: 1 })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}

/** Deletes every topic of this run (they all start with the run's prefix). */
export async function deleteTestTopics(infra: TestInfra): Promise<void> {
  const kafka = testKafka(infra, `test-admin-${infra.runId}`);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(infra.topicPrefix));
    if (mine.length) await admin.deleteTopics({ topics: mine });
  } finally {
    await admin.disconnect();
  }
}
