import { STATUS_CODES } from 'node:http';

/** The JSON body of every error response of every service. */
export interface ErrorBody {
  /** A stable UPPER_SNAKE code, e.g. `NOT_FOUND`, `VALIDATION_FAILED`, `AGENT_NOT_READY`. */
  readonly error: string;
  readonly message: string;
  readonly details?: unknown;
  /** The `x-request-id` of the request, to find its log lines. */
  readonly requestId?: string;
}

const CODE_OVERRIDES: Readonly<Record<number, string>> = {
  500: 'INTERNAL',
};

/** `404` → `NOT_FOUND`, `413` → `PAYLOAD_TOO_LARGE`, `500` → `INTERNAL`; from the standard reason phrase. */
export function errorCodeForStatus(status: number): string {
  const override = CODE_OVERRIDES[status];
  if (override) return override;
  const phrase = STATUS_CODES[status];
  if (!phrase) return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
  return phrase
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

/** A string that looks like an error code, so an HttpException may carry its own. */
export function isErrorCode(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z][A-Z0-9_]{1,63}$/.test(value);
}
