export {
  isIgnoredEvent,
  parseQueueLog,
  parseQueueLogLine,
  parseQueueLogRow,
  QUEUE_LOG_FACT_EVENTS,
  QUEUE_LOG_IGNORED_EVENTS,
  type QueueLogEvent,
  type QueueLogFactEvent,
  type QueueLogIgnoredEvent,
  type QueueLogParse,
  type QueueLogRecord,
  type QueueLogRow,
  type QueueLogRowOptions,
  type QueueLogSkip,
} from './queue-log-parser';
export {
  readQueueLogFile,
  type QueueLogFileRead,
  type QueueLogFileReadOptions,
} from './queue-log-file-reader';
export {
  QueueLogTableReader,
  type QueueLogColumns,
  type QueueLogSqlClient,
  type QueueLogTableOptions,
  type QueueLogTableRead,
  type QueueLogTableReadOptions,
} from './queue-log-table-reader';
export {
  importQueueLog,
  type QueueLogImport,
  type QueueLogImportCounts,
  type QueueLogImportOptions,
} from './queue-log-importer';
export { dedupeAgainst } from './queue-log-dedupe';
export {
  queueLogFileSource,
  queueLogTableSource,
  queueLogTimeCursor,
  TABLE_LOOKBACK_MS,
  type QueueLogSource,
} from './queue-log-source';
