import { z } from 'zod';
import { v7 as uuidv7 } from 'uuid';
import { SERVICES, type TopicName } from '../topics';
import { isoTimestampSchema, tenantIdSchema } from '../primitives';
import type { EventDataOf, EventTypeOf } from '../registry';

/** The envelope every Kafka message carries (ARCHITECTURE.md §4). `data` is checked per type by `validate`. */
export const envelopeSchema = z.object({
  /** UUIDv7: the idempotency key. It also travels as the `event-id` header. */
  id: z.uuid({ version: 'v7' }),
  type: z.string().min(1).max(64),
  version: z.number().int().positive(),
  tenantId: tenantIdSchema,
  /** Source time, ISO-8601 UTC with milliseconds, e.g. `2026-11-25T10:00:00.000Z`. */
  occurredAt: isoTimestampSchema,
  source: z.enum(SERVICES),
  data: z.unknown(),
});

export type Envelope<D = unknown> = Omit<z.infer<typeof envelopeSchema>, 'data'> & { data: D };

/** A typed envelope of one event type of one topic. */
export type EventOf<T extends TopicName, E extends EventTypeOf<T>> = Envelope<EventDataOf<T, E>> & {
  type: E;
};

/** Kafka header names used next to the envelope. */
export const HEADERS = {
  eventId: 'event-id',
  eventType: 'event-type',
  tenantId: 'tenant-id',
  /** Set on DLQ copies: why the message was dead-lettered. */
  dlqReason: 'dlq-reason',
  dlqSourceTopic: 'dlq-source-topic',
  dlqConsumer: 'dlq-consumer',
} as const;

/** Millisecond-precision ISO time in UTC. */
export function isoNow(date: Date = new Date()): string {
  return date.toISOString();
}

export function newEventId(): string {
  return uuidv7();
}
