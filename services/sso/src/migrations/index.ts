import { MessagingTables1764028800000 } from './1764028800000-MessagingTables';

/** Every migration of sso, oldest first. Append only; never edit one that has been committed. */
export const migrations = [MessagingTables1764028800000];
