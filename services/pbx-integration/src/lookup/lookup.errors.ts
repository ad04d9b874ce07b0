import { ConflictError, ValidationFailedError } from '@okc/runtime';
import { MAX_CONNECTORS_PER_TENANT } from './lookups.dto';

/**
 * Why one lookup found nothing: it ran out of time, or it failed. The message is for the admin who set the
 * connector up (the test endpoint shows it), so it says what to check. Never turned into an HTTP error.
 */
export class LookupFailure extends Error {
  constructor(
    readonly outcome: 'timeout' | 'error',
    message: string,
  ) {
    super(message);
    this.name = 'LookupFailure';
  }
}

export const connectorNameTaken = (name: string) =>
  new ConflictError('CONFLICT', `A lookup connector named "${name}" already exists in this tenant`, {
    field: 'name',
  });

export const tooManyConnectors = () =>
  new ConflictError(
    'TOO_MANY_CONNECTORS',
    `A tenant has at most ${MAX_CONNECTORS_PER_TENANT} lookup connectors: remove one first`,
  );

export const typeCannotChange = (type: string) =>
  new ValidationFailedError('request body', [
    { field: 'type', message: `the type stays ${type}: add a new connector of the other type instead` },
  ]);

/** http:// is refused in production unless LOOKUP_ALLOW_HTTP: the number and the answer are personal data. */
export const plainHttpRefused = () =>
  new ValidationFailedError('request body', [
    { field: 'urlTemplate', message: 'must be https:// in production' },
  ]);

/**
 * An Error by shape, not by `instanceof`: errors from Node's own fetch (DOMException, undici's) may come from
 * another realm (a test runner's VM context), where `instanceof Error` is false.
 */
export function isErrorLike(value: unknown): value is Error & { code?: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as Error).message === 'string';
}

/** The text of an error's innermost cause (fetch and mysql2 wrap the socket error). */
export function causeMessage(err: unknown): string {
  if (!isErrorLike(err)) return String(err);
  return isErrorLike(err.cause) ? causeMessage(err.cause) : err.message;
}

/** The `code` of an error or its causes (`ECONNREFUSED`, `ER_ACCESS_DENIED_ERROR`). */
export function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  while (isErrorLike(current)) {
    if (typeof current.code === 'string') return current.code;
    current = current.cause;
  }
  return undefined;
}
