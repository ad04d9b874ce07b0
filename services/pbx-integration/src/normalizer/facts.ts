import type { EventDataOf, EventTypeOf, TOPICS } from '@okc/contracts';

/**
 * The PBX-neutral output of a normalizer: what happened on the PBX, in the words of `telephony.calls.v1` and
 * `telephony.agents.v1`. Nothing here knows about AMI, so a FreeSWITCH adapter can produce the same stream and
 * the consumers of facts (outbox writer, projections) stay PBX-agnostic.
 */
export type CallsTopic = typeof TOPICS.telephonyCalls;
export type AgentsTopic = typeof TOPICS.telephonyAgents;
export type FactTopic = CallsTopic | AgentsTopic;
export type CallFactType = EventTypeOf<CallsTopic>;
export type AgentFactType = EventTypeOf<AgentsTopic>;

interface FactOf<T extends FactTopic, E extends EventTypeOf<T>> {
  readonly topic: T;
  /** The Kafka key: the call id on the calls topic, `<tenantId>:<interface>` on the agents topic. */
  readonly key: string;
  readonly type: E;
  /** Source time, ISO-8601 UTC with milliseconds. */
  readonly occurredAt: string;
  /** The event's `data`, as the contracts schema of `type` wants it. */
  readonly data: EventDataOf<T, E>;
  /**
   * A deterministic identity of the fact: the same PBX happening, seen twice (AMI repeating itself, a re-sync,
   * a backfill), gets the same factKey, so the service can drop the second copy.
   */
  readonly factKey: string;
}

export type CallFact<E extends CallFactType = CallFactType> = { [K in E]: FactOf<CallsTopic, K> }[E];
export type AgentFact<E extends AgentFactType = AgentFactType> = { [K in E]: FactOf<AgentsTopic, K> }[E];
export type CanonicalFact = CallFact | AgentFact;

/** `data` without the fields every call fact carries (the tracker adds them). */
export type CallFactData<E extends CallFactType> = Omit<
  EventDataOf<CallsTopic, E>,
  'callId' | 'connectionId'
>;
export type AgentFactData<E extends AgentFactType> = Omit<EventDataOf<AgentsTopic, E>, 'connectionId'>;

export function isoFromMs(ms: number): string {
  return new Date(ms).toISOString();
}

/** Seconds between two millisecond instants, never negative (clocks of two sources may disagree slightly). */
export function secondsBetween(fromMs: number, toMs: number): number {
  return Math.max(0, toMs - fromMs) / 1000;
}
