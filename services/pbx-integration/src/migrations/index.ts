import { MessagingTables1764028800000 } from './1764028800000-MessagingTables';
import { PbxConnections1764547300000 } from './1764547300000-PbxConnections';
import { Modes1764547400000 } from './1764547400000-Modes';
import { Webhooks1764547500000 } from './1764547500000-Webhooks';
import { Lookup1764547600000 } from './1764547600000-Lookup';
import { Facts1764547800000 } from './1764547800000-Facts';
import { Commands1764547900000 } from './1764547900000-Commands';
import { QueueLogPath1764548000000 } from './1764548000000-QueueLogPath';
import { QueueLogTable1764548100000 } from './1764548100000-QueueLogTable';

/** Every migration of pbx-integration, oldest first. Append only; never edit one that has been committed. */
export const migrations = [
  MessagingTables1764028800000,
  PbxConnections1764547300000,
  Modes1764547400000,
  Webhooks1764547500000,
  Lookup1764547600000,
  Facts1764547800000,
  Commands1764547900000,
  QueueLogPath1764548000000,
  QueueLogTable1764548100000,
];
