import {
  EVENT_SAMPLES,
  createEvent,
  type EventDataOf,
  type EventOf,
  type EventTypeOf,
  type ServiceName,
  type TopicName,
} from '@okc/contracts';

export interface EventOverrides<T extends TopicName, E extends EventTypeOf<T>> {
  tenantId?: string;
  source?: ServiceName;
  occurredAt?: Date | string;
  data?: Partial<EventDataOf<T, E>>;
}

/** A valid event of any type, built from the contract's sample and the given overrides. */
export function makeEvent<T extends TopicName, E extends EventTypeOf<T>>(
  topic: T,
  type: E,
  overrides: EventOverrides<T, E> = {},
): EventOf<T, E> {
  const samples = EVENT_SAMPLES[topic] as Record<string, object>;
  const data = { ...samples[type], ...overrides.data } as EventDataOf<T, E>;
  return createEvent(topic, {
    type,
    tenantId: overrides.tenantId ?? 'demo',
    source: overrides.source ?? 'pbx-integration',
    data,
    ...(overrides.occurredAt !== undefined ? { occurredAt: overrides.occurredAt } : {}),
  });
}
