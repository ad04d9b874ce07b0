import type { EntityManager } from 'typeorm';
import type { Envelope } from '@okc/contracts';

import { isDuplicateKey } from '@okc/persistence';

/**
 * Records that `consumer` applies `event` now, inside the caller's transaction. Returns false when the event was
 * already applied (or is being applied by a concurrent transaction, which this call waits for): skip it then.
 * A duplicate-key error aborts only this statement in InnoDB, not the transaction.
 */
export async function claimInbox(
  manager: EntityManager,
  consumer: string,
  topic: string,
  event: Envelope,
): Promise<boolean> {
  try {
    await manager.query(
      'INSERT INTO inbox (consumer, event_id, tenant_id, topic, event_type, received_at) VALUES (?, ?, ?, ?, ?, ?)',
      [consumer, event.id, event.tenantId, topic, event.type, new Date()],
    );
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/**
 * The fast path's claim: one multi-row insert for a chunk of distinct events. It fails as a whole with
 * ER_DUP_ENTRY when any of them was already applied; the caller then replays the chunk event by event.
 */
export async function claimInboxBatch(
  manager: EntityManager,
  consumer: string,
  topic: string,
  events: Envelope[],
): Promise<void> {
  if (!events.length) return;
  const now = new Date();
  const values: unknown[] = [];
  for (const e of events) values.push(consumer, e.id, e.tenantId, topic, e.type, now);
  await manager.query(
    `INSERT INTO inbox (consumer, event_id, tenant_id, topic, event_type, received_at) VALUES ${events.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
    values,
  );
}
