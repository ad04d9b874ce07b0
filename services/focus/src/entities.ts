import { InboxRecord, OutboxLane, OutboxMessage } from '@okc/messaging';

/** Every TypeORM entity of focus. */
export const entities = [OutboxMessage, OutboxLane, InboxRecord];
