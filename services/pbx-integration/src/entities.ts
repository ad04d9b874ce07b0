import { InboxRecord, OutboxLane, OutboxMessage } from '@okc/messaging';
import { PbxCommandRow } from './commands/command.entity';
import { PbxConnection } from './connections/pbx-connection.entity';
import { LookupConnector } from './lookup/lookup-connector.entity';
import { ModeSettingsRow, ModeStateRow, PbxAuditRow } from './modes/mode.entities';
import { Webhook, WebhookDelivery } from './webhooks/webhook.entities';

/** Every TypeORM entity of pbx-integration. */
export const entities = [
  OutboxMessage,
  OutboxLane,
  InboxRecord,
  PbxConnection,
  ModeSettingsRow,
  ModeStateRow,
  PbxAuditRow,
  Webhook,
  WebhookDelivery,
  LookupConnector,
  PbxCommandRow,
];
