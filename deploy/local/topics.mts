/**
 * The Kafka topics of ARCHITECTURE.md §4 and their DLQ twins, read from libs/contracts (names live there only).
 * Missing topics are created with their configured partition count (replication 1 on the single local broker);
 * existing ones are left alone, except that a topic with fewer partitions than configured is grown.
 */
import type { Admin } from 'kafkajs';
import { TOPIC_SPECS, allTopicNames, dlqTopicOf } from '../../libs/contracts/src/topics.ts';

/** Topic name → partition count, for every topic in allTopicNames() (a DLQ twin has its topic's count). */
export function topicPartitions(): Map<string, number> {
  const byName = new Map<string, number>();
  for (const [name, spec] of Object.entries(TOPIC_SPECS)) {
    byName.set(name, spec.partitions);
    byName.set(dlqTopicOf(name), spec.partitions);
  }
  const result = new Map<string, number>();
  for (const name of allTopicNames()) {
    const partitions = byName.get(name);
    if (partitions === undefined)
      throw new Error(`libs/contracts lists topic ${name} without a partition count`);
    result.set(name, partitions);
  }
  return result;
}

export interface TopicsResult {
  readonly total: number;
  readonly created: string[];
  readonly grown: string[];
}

export async function ensureTopics(admin: Admin): Promise<TopicsResult> {
  const wanted = topicPartitions();
  const existing = new Set(await admin.listTopics());
  const missing = [...wanted.keys()].filter((t) => !existing.has(t));
  const present = [...wanted.keys()].filter((t) => existing.has(t));

  const created: string[] = [];
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic, numPartitions: wanted.get(topic), replicationFactor: 1 })),
    });
    created.push(...missing);
  }

  const grown: string[] = [];
  if (present.length > 0) {
    const { topics } = await admin.fetchTopicMetadata({ topics: present });
    const toGrow = topics
      .map((t) => ({ topic: t.name, have: t.partitions.length, want: wanted.get(t.name) ?? 0 }))
      .filter((t) => t.have < t.want);
    if (toGrow.length > 0) {
      await admin.createPartitions({
        topicPartitions: toGrow.map((t) => ({ topic: t.topic, count: t.want })),
      });
      grown.push(...toGrow.map((t) => `${t.topic} ${t.have}→${t.want}`));
    }
  }
  return { total: wanted.size, created, grown };
}

export async function topicsPresent(admin: Admin): Promise<{ present: string[]; missing: string[] }> {
  const existing = new Set(await admin.listTopics());
  const wanted = [...topicPartitions().keys()];
  return { present: wanted.filter((t) => existing.has(t)), missing: wanted.filter((t) => !existing.has(t)) };
}
