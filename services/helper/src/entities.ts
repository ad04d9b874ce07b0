import { InboxRecord, OutboxLane, OutboxMessage } from '@okc/messaging';

/** Every TypeORM entity of helper. */
export const entities = [OutboxMessage, OutboxLane, InboxRecord];
