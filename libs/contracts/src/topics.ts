/**
 * The Kafka topic registry: every topic of ARCHITECTURE.md §4, its key, its producers and its partition count.
 * Names are constants here and nowhere else. A breaking change makes a `.v2` topic; `.v1` is never edited.
 *
 * This file imports nothing on purpose: deploy/local/infra.ts reads it directly with Node's type stripping
 * to create the topics, so it must stay plain, erasable TypeScript (no enums, no imports).
 */
export const SERVICES = ['sso', 'pbx-integration', 'focus', 'statix', 'helper', 'gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];

export const TOPICS = {
  telephonyCalls: 'telephony.calls.v1',
  telephonyAgents: 'telephony.agents.v1',
  pbxCommands: 'pbx.commands.v1',
  pbxCommandResults: 'pbx.command-results.v1',
  pbxModes: 'pbx.modes.v1',
  identityUsers: 'identity.users.v1',
  focusAgentStates: 'focus.agent-states.v1',
  focusDispositions: 'focus.dispositions.v1',
  helperTopics: 'helper.topics.v1',
  helperSuggestions: 'helper.suggestions.v1',
} as const;
export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export interface TopicSpec {
  /** What the Kafka message key is: the aggregate whose events must stay in order. */
  readonly key: string;
  readonly producers: readonly ServiceName[];
  readonly partitions: number;
}

export const TOPIC_SPECS: Readonly<Record<TopicName, TopicSpec>> = {
  'telephony.calls.v1': { key: 'call id', producers: ['pbx-integration'], partitions: 6 },
  'telephony.agents.v1': { key: 'tenant + interface', producers: ['pbx-integration'], partitions: 3 },
  'pbx.commands.v1': { key: 'tenant', producers: ['focus', 'statix', 'gateway'], partitions: 3 },
  'pbx.command-results.v1': { key: 'command id', producers: ['pbx-integration'], partitions: 3 },
  'pbx.modes.v1': { key: 'tenant', producers: ['pbx-integration'], partitions: 1 },
  'identity.users.v1': { key: 'user id', producers: ['sso'], partitions: 3 },
  'focus.agent-states.v1': { key: 'agent id', producers: ['focus'], partitions: 3 },
  'focus.dispositions.v1': { key: 'call id', producers: ['focus'], partitions: 3 },
  'helper.topics.v1': { key: 'topic id', producers: ['helper'], partitions: 1 },
  'helper.suggestions.v1': { key: 'call id', producers: ['helper'], partitions: 3 },
};

/** Every topic has a dead-letter twin for messages that fail validation or exhaust their retries. */
export const DLQ_SUFFIX = '.dlq';
export function dlqTopicOf(topic: string): string {
  return `${topic}${DLQ_SUFFIX}`;
}

/** All topic names, main topics first, then their DLQ twins. */
export function allTopicNames(): string[] {
  const main = Object.keys(TOPIC_SPECS);
  return [...main, ...main.map(dlqTopicOf)];
}
