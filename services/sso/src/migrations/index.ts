import { MessagingTables1764028800000 } from './1764028800000-MessagingTables';
import { Identity1764201600000 } from './1764201600000-Identity';
import { TenantCorsOrigins1764547200000 } from './1764547200000-TenantCorsOrigins';

/** Every migration of sso, oldest first. Append only; never edit one that has been committed. */
export const migrations = [
  MessagingTables1764028800000,
  Identity1764201600000,
  TenantCorsOrigins1764547200000,
];
