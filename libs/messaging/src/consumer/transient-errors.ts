/** Error codes that mean "the infrastructure is away", not "this event is bad": retried without limit. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_QUERY_INTERRUPTED',
]);

const TRANSIENT_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
]);

export function isTransientError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, message, cause } = error as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
    cause?: unknown;
  };
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  if (typeof name === 'string' && TRANSIENT_NAMES.has(name)) return true;
  if (typeof message === 'string' && /Connection lost|Pool is closed|connect ECONNREFUSED/i.test(message))
    return true;
  return cause !== undefined && cause !== error ? isTransientError(cause) : false;
}
