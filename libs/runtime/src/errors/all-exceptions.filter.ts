import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { throwError, type Observable } from 'rxjs';
import type { HttpRequest } from '../http/http.types';
import { requestIdOf } from '../logging/request-id';
import { DomainError } from './domain.error';
import { type ErrorBody, errorCodeForStatus, isErrorCode } from './error-body';

interface MappedError {
  readonly status: number;
  readonly body: Omit<ErrorBody, 'requestId'>;
  /** Server faults are logged with their stack; client errors are only in the request log line. */
  readonly log: boolean;
}

/** body-parser errors reach the filter as the `cause` of the HttpException Nest wraps them in. */
interface BodyParserError {
  readonly type?: unknown;
  readonly limit?: unknown;
}

/**
 * The one place where errors become HTTP responses, for every service:
 * - `DomainError` → its status and code;
 * - Nest `HttpException` → its status, a code from it (`NOT_FOUND`, ...), a malformed JSON body →
 *   400 `MALFORMED_BODY`, an oversized body → 413 `PAYLOAD_TOO_LARGE`;
 * - anything else → 500 `INTERNAL` with a generic message, the stack goes to the log only.
 * Non-HTTP contexts (Kafka handlers) get the error back untouched: their retry and DLQ logic decides.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | undefined {
    if (host.getType() !== 'http') return throwError(() => exception);

    const http = host.switchToHttp();
    const req = http.getRequest<HttpRequest>();
    const res = http.getResponse<unknown>();
    const mapped = mapException(exception);
    if (mapped.log) {
      // Inside a request the log line already carries `requestId` (pino-http binds it).
      this.logger.error({ err: exception }, `Request failed: ${describe(exception)}`);
    }
    const adapter = this.adapterHost.httpAdapter;
    if (adapter.isHeadersSent(res)) {
      adapter.end(res);
      return undefined;
    }
    const requestId = requestIdOf(req);
    const body: ErrorBody = { ...mapped.body, ...(requestId ? { requestId } : {}) };
    adapter.reply(res, body, mapped.status);
    return undefined;
  }
}

export function mapException(exception: unknown): MappedError {
  if (exception instanceof DomainError) {
    const body = { error: exception.code, message: exception.message };
    return {
      status: exception.status,
      body: exception.details === undefined ? body : { ...body, details: exception.details },
      log: exception.status >= 500,
    };
  }
  if (exception instanceof HttpException) return mapHttpException(exception);
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { error: 'INTERNAL', message: 'Internal error' },
    log: true,
  };
}

function mapHttpException(exception: HttpException): MappedError {
  const status = exception.getStatus();
  const cause = (exception.cause ?? {}) as BodyParserError;
  if (status === 400 && cause.type === 'entity.parse.failed') {
    return {
      status,
      body: { error: 'MALFORMED_BODY', message: 'Request body is not valid JSON' },
      log: false,
    };
  }
  if (status === 413) {
    const limit = typeof cause.limit === 'number' ? ` of ${cause.limit} bytes` : '';
    return {
      status,
      body: { error: 'PAYLOAD_TOO_LARGE', message: `Request body exceeds the limit${limit}` },
      log: false,
    };
  }
  const response = exception.getResponse();
  let code = errorCodeForStatus(status);
  let message = exception.message;
  let details: unknown;
  if (typeof response === 'string') {
    message = response;
  } else if (typeof response === 'object' && response !== null) {
    const fields = response as { error?: unknown; message?: unknown; details?: unknown };
    if (isErrorCode(fields.error)) code = fields.error;
    if (typeof fields.message === 'string') message = fields.message;
    else if (Array.isArray(fields.message)) message = fields.message.map(String).join('; ');
    details = fields.details;
  }
  const body = { error: code, message };
  return { status, body: details === undefined ? body : { ...body, details }, log: status >= 500 };
}

function describe(exception: unknown): string {
  return exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception);
}
