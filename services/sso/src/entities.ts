import { InboxRecord, OutboxLane, OutboxMessage } from '@okc/messaging';

/** Every TypeORM entity of sso. */
export const entities = [OutboxMessage, OutboxLane, InboxRecord];
