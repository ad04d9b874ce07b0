import { hostname } from 'node:os';
import pino, { type DestinationStream, type Level, type LevelWithSilent, type Logger } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import type { HttpRequest, HttpResponse } from '../http/http.types';
import { resolveRequestId, REQUEST_ID_HEADER } from './request-id';

export interface RootLoggerOptions {
  readonly service: string;
  readonly version?: string;
  readonly level: LevelWithSilent;
  /** Where JSON lines go; stdout when absent. Tests pass a stream to read them. */
  readonly destination?: DestinationStream;
}

const SECRET_FIELDS = ['password', 'secret', 'clientSecret', 'client_secret'];
const SECRET_DEPTH = 4;

/** Redaction paths: auth headers, and secret-named fields up to SECRET_DEPTH levels deep. */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  ...SECRET_FIELDS.flatMap((field) =>
    Array.from({ length: SECRET_DEPTH }, (_, depth) => `${'*.'.repeat(depth)}${field}`),
  ),
];

/** The one pino instance of a process: JSON lines with `service`, ISO time, redaction. */
export function createRootLogger(options: RootLoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: {
        service: options.service,
        ...(options.version ? { version: options.version } : {}),
        pid: process.pid,
        hostname: hostname(),
      },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...REDACT_PATHS], censor: '[REDACTED]' },
      serializers: { err: pino.stdSerializers.err },
    },
    // Synchronous writes: the last lines before process.exit (fatal error, hard shutdown) must not be lost.
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

const QUIET_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/**
 * Level of the one "request completed" line. Probes (health, metrics) are debug, a 503 from readiness
 * included: the readiness registry logs state changes itself. Otherwise client errors warn, server errors
 * are errors.
 */
export function requestLogLevel(req: HttpRequest, res: HttpResponse, err?: Error): Level {
  if (!err && QUIET_PATHS.test(req.originalUrl ?? req.url ?? '')) return 'debug';
  if (err || res.statusCode >= 500) return 'error';
  if (res.statusCode >= 400) return 'warn';
  return 'info';
}

/** pino-http options: the shared root logger, request id from our middleware, quiet probes. */
export function pinoHttpOptions(logger: Logger): PinoHttpOptions<HttpRequest, HttpResponse> {
  return {
    logger,
    genReqId: (req) => req.id ?? resolveRequestId(req.headers[REQUEST_ID_HEADER]),
    customLogLevel: requestLogLevel,
    // Logs made while handling a request carry only `requestId`; the completion line has req and res.
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
  };
}

/** Injection token of the process's root pino `Logger` (for code outside Nest's `Logger`, e.g. bootstrap). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
