import type { ServiceName, TopicName } from '../topics';
import { EVENT_REGISTRY, type EventDataOf, type EventTypeOf } from '../registry';
import { isoNow, newEventId, type EventOf } from './envelope';

export interface NewEvent<T extends TopicName, E extends EventTypeOf<T>> {
  type: E;
  tenantId: string;
  source: ServiceName;
  data: EventDataOf<T, E>;
  /** Source time; defaults to now. */
  occurredAt?: Date | string;
  /** Defaults to a fresh UUIDv7. Pass one only to re-emit a known event. */
  id?: string;
}

/** Builds a typed envelope with a UUIDv7 id and the registered schema version. It does not validate. */
export function createEvent<T extends TopicName, E extends EventTypeOf<T>>(
  topic: T,
  input: NewEvent<T, E>,
): EventOf<T, E> {
  const events = EVENT_REGISTRY[topic] as Record<string, { version: number }>;
  const definition = events[input.type];
  if (!definition) throw new Error(`event type "${input.type}" is not carried by topic "${topic}"`);
  const occurredAt =
    input.occurredAt === undefined
      ? isoNow()
      : typeof input.occurredAt === 'string'
        ? input.occurredAt
        : isoNow(input.occurredAt);
  return {
    id: input.id ?? newEventId(),
    type: input.type,
    version: definition.version,
    tenantId: input.tenantId,
    occurredAt,
    source: input.source,
    data: input.data,
  };
}
