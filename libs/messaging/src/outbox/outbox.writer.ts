import type { EntityManager } from 'typeorm';
import { EventValidationError, validate, type Envelope, type TopicName } from '@okc/contracts';
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

/**
 * Adds events to the outbox inside the caller's transaction: `dataSource.transaction(m => { …domain…;
 * outbox.add(m, …) })`. The event is validated here, so an invalid event fails the domain write too instead of
 * reaching Kafka. Request code never calls a Kafka producer directly.
 */
export class OutboxWriter {
  constructor(private readonly onAdded?: () => void) {}

  async add(manager: EntityManager, ...entries: OutboxEntry[]): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('outbox.add() must run inside the transaction of the domain change');
    }
    const now = new Date();
    const rows = entries.map(({ topic, key, event }) => {
      const result = validate(topic, event);
      if (!result.ok) throw new EventValidationError(topic, result.errors);
      if (!key) throw new EventValidationError(topic, [{ field: 'key', message: 'a Kafka key is required' }]);
      return {
        eventId: result.event.id,
        tenantId: result.event.tenantId,
        topic,
        messageKey: key,
        eventType: result.event.type,
        lane: laneOf(key),
        payload: JSON.stringify(result.event),
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
    this.onAdded?.();
  }
}
