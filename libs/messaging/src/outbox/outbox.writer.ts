import type { EntityManager } from 'typeorm';
import {
  EventValidationError,
  validate,
  type Envelope,
  type TopicName,
  type ValidationResult,
} from '@okc/contracts';
import { OUTBOX_LANES } from './outbox-message.entity';

/** FNV-1a: a stable, fast string hash for lanes (not for security). */
export function laneOf(key: string, lanes = OUTBOX_LANES): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % lanes;
}

/**
 * Set on the transaction's query runner (`queryRunner.data`) once it added outbox rows: the relay of the same
 * DataSource polls right after that transaction commits (see OutboxRelay), not before, when the rows are not
 * visible yet.
 */
export const OUTBOX_ROWS_ADDED = 'okcOutboxRowsAdded';

export interface OutboxEntry {
  topic: TopicName;
  /** Kafka key: the aggregate id, so one aggregate's events stay ordered. */
  key: string;
  event: Envelope;
}

/** Entries validated by checkOutboxEntry → their checked event: add() writes that, without validating again. */
const checkedEvents = new WeakMap<OutboxEntry, Envelope>();

/**
 * Validates an entry ahead of add(), for a writer that must drop one invalid entry (and say why) instead of
 * failing its whole batch, as add() does. add() then writes the checked event of that same entry object as it
 * is, without validating it a second time.
 */
export function checkOutboxEntry(entry: OutboxEntry): ValidationResult {
  const result = validate(entry.topic, entry.event);
  if (result.ok) checkedEvents.set(entry, result.event);
  return result;
}

/**
 * Adds events to the outbox inside the caller's transaction: `dataSource.transaction(m => { …domain…;
 * outbox.add(m, …) })`. The event is validated here, so an invalid event fails the domain write too instead of
 * reaching Kafka. Request code never calls a Kafka producer directly.
 */
export class OutboxWriter {
  async add(manager: EntityManager, ...entries: OutboxEntry[]): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('outbox.add() must run inside the transaction of the domain change');
    }
    const now = new Date();
    const rows = entries.map((entry) => {
      const { topic, key } = entry;
      const event = checkedEvents.get(entry) ?? validated(topic, entry.event);
      if (!key) throw new EventValidationError(topic, [{ field: 'key', message: 'a Kafka key is required' }]);
      return {
        eventId: event.id,
        tenantId: event.tenantId,
        topic,
        messageKey: key,
        eventType: event.type,
        lane: laneOf(key),
        payload: JSON.stringify(event),
        createdAt: now,
      };
    });
    if (!rows.length) return;
    // Plain SQL, not the ORM's insert builder: this is on every write path and the builder costs far more CPU.
    const values: unknown[] = [];
    for (const r of rows)
      values.push(r.eventId, r.tenantId, r.topic, r.messageKey, r.eventType, r.lane, r.payload, r.createdAt);
    await manager.query(
      `INSERT INTO outbox (event_id, tenant_id, topic, message_key, event_type, lane, payload, created_at) VALUES ${rows
        .map(() => '(?, ?, ?, ?, ?, ?, ?, ?)')
        .join(', ')}`,
      values,
    );
    (manager.queryRunner.data as Record<string, unknown>)[OUTBOX_ROWS_ADDED] = true;
  }
}

function validated(topic: TopicName, event: Envelope): Envelope {
  const result = validate(topic, event);
  if (!result.ok) throw new EventValidationError(topic, result.errors);
  return result.event;
}
