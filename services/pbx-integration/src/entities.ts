import { InboxRecord, OutboxLane, OutboxMessage } from '@okc/messaging';

/** Every TypeORM entity of pbx-integration. */
export const entities = [OutboxMessage, OutboxLane, InboxRecord];
