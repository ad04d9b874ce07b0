import type { Request, RequestHandler, Response } from 'express';
import { sendError } from '../bff/http-errors';
import type { CorsOrigins } from './cors-origins';

/** What a cross-origin caller may send and read. Credentials (cookies) are never allowed cross-origin. */
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const ALLOWED_HEADERS = new Set([
  'authorization',
  'content-type',
  'accept',
  'accept-language',
  'x-request-id',
]);
const EXPOSED_HEADERS = 'x-request-id, retry-after, www-authenticate';
const PREFLIGHT_MAX_AGE_S = 600;

/** The request's `Origin` when it is another origin than the gateway's own (`PUBLIC_URL`), else undefined. */
export function foreignOrigin(req: Request, ownOrigin: string): string | undefined {
  const origin = req.get('origin');
  return origin && origin !== ownOrigin ? origin : undefined;
}

/** Lets the browser give the response to the calling page of `origin`. */
export function allowOrigin(res: Response, origin: string): void {
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  res.append('Vary', 'Origin');
}

/**
 * CORS for the integrator API (`/api/*`), closed by default. A preflight is answered for an origin that
 * some tenant allows (it carries no token); the request itself is then checked against its token's tenant
 * (see apiProxy). Cross-origin calls must use a Bearer token: the session cookie is never offered
 * cross-origin (no Allow-Credentials), and a cookie request from a foreign origin is refused.
 */
export function corsPreflight(origins: CorsOrigins, ownOrigin: string): RequestHandler {
  return (req, res, next) => {
    const origin = foreignOrigin(req, ownOrigin);
    if (!origin || req.method !== 'OPTIONS' || !req.get('access-control-request-method')) return next();
    origins.anyAllows(origin).then(
      (allowed) => {
        res.append('Vary', 'Origin');
        if (!allowed) return corsRefused(req, res, origin);
        const method = req.get('access-control-request-method')!.toUpperCase();
        const asked = (req.get('access-control-request-headers') ?? '')
          .split(',')
          .map((header) => header.trim().toLowerCase())
          .filter(Boolean);
        const unknown = asked.filter((header) => !ALLOWED_HEADERS.has(header));
        if (!ALLOWED_METHODS.split(', ').includes(method) || unknown.length > 0) {
          return sendError(
            req,
            res,
            403,
            'CORS_REQUEST_NOT_ALLOWED',
            `Cross-origin ${method} with ${unknown.join(', ') || 'these headers'} is not allowed; ` +
              `methods ${ALLOWED_METHODS}, headers ${[...ALLOWED_HEADERS].join(', ')}`,
          );
        }
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
        if (asked.length) res.setHeader('Access-Control-Allow-Headers', asked.join(', '));
        res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_S));
        res.status(204).end();
      },
      () => corsUnavailable(req, res),
    );
  };
}

/** 403 naming the origin and what to do about it. */
export function corsRefused(req: Request, res: Response, origin: string): void {
  sendError(
    req,
    res,
    403,
    'CORS_ORIGIN_NOT_ALLOWED',
    `Origin ${origin} may not call this API; a platform admin can add it to the tenant's corsOrigins`,
  );
}

/** 503 when the allow-lists cannot be read (Redis away since start): closed, and saying so. */
export function corsUnavailable(req: Request, res: Response): void {
  res.setHeader('Retry-After', '1');
  sendError(
    req,
    res,
    503,
    'CORS_UNAVAILABLE',
    'Cross-origin access cannot be checked right now; retry shortly',
  );
}
