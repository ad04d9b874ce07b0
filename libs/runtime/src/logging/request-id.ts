import { v7 as uuidv7 } from 'uuid';
import type { HttpRequest, HttpResponse, NextFunction } from '../http/http.types';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What an incoming request id may look like; anything else is replaced, never echoed. */
const VALID_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function isValidRequestId(value: unknown): value is string {
  return typeof value === 'string' && VALID_REQUEST_ID.test(value);
}

/** The caller's request id when it is well-formed, a fresh UUIDv7 otherwise. */
export function resolveRequestId(header: string | string[] | undefined): string {
  const candidate = Array.isArray(header) ? header[0] : header;
  return isValidRequestId(candidate) ? candidate : uuidv7();
}

/**
 * Runs first on every request (before body parsing, so even a 400 for a malformed body carries it):
 * takes or makes the request id, keeps it on `req.id` for logs and error bodies, echoes it back.
 */
export function requestIdMiddleware(req: HttpRequest, res: HttpResponse, next: NextFunction): void {
  const id = resolveRequestId(req.headers[REQUEST_ID_HEADER]);
  req.id = id;
  res.setHeader(REQUEST_ID_HEADER, id);
  next();
}

/** The request id the middleware put on the request, if it ran. */
export function requestIdOf(req: HttpRequest): string | undefined {
  const id: unknown = req.id;
  return typeof id === 'string' ? id : undefined;
}
