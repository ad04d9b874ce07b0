import { InboxRecord, OutboxLane, OutboxMessage } from '@okc/messaging';
import { AuditEntry } from './audit/audit-entry.entity';
import { OidcClient } from './clients/oidc-client.entity';
import { SigningKey } from './keys/signing-key.entity';
import { OidcModel } from './oidc/oidc-model.entity';
import { Tenant } from './tenants/tenant.entity';
import { User } from './users/user.entity';

/** Every TypeORM entity of sso. */
export const entities = [
  OutboxMessage,
  OutboxLane,
  InboxRecord,
  Tenant,
  User,
  OidcClient,
  SigningKey,
  OidcModel,
  AuditEntry,
];
