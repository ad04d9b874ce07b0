import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The parts of an Express request and response this library reads. Express ships no types of its own and
 * `@types/express` is not a dependency, so the runtime states what it relies on here.
 */
export interface HttpRequest extends IncomingMessage {
  // `id` (the request id) is declared on IncomingMessage by pino-http; the request-id middleware sets it.
  originalUrl?: string;
  /** The matched Express route, set once routing has found one. */
  route?: { path?: unknown };
}

export type HttpResponse = ServerResponse;

export type NextFunction = (err?: unknown) => void;
