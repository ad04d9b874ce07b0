import { InboxRecord, OutboxLane, OutboxMessage } from '@okc/messaging';

/** Every TypeORM entity of statix. */
export const entities = [OutboxMessage, OutboxLane, InboxRecord];
