import { InboxRecord, OutboxLane, OutboxMessage } from '@okc/messaging';
import { PbxConnection } from './connections/pbx-connection.entity';

/** Every TypeORM entity of pbx-integration. */
export const entities = [OutboxMessage, OutboxLane, InboxRecord, PbxConnection];
