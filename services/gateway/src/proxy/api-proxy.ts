import { Agent } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { createProxyMiddleware, type RequestHandler as ProxyHandler } from 'http-proxy-middleware';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config';
import { csrfOk } from '../bff/csrf';
import { sendError } from '../bff/http-errors';
import type { SessionTokenKeeper } from '../bff/session-tokens';
import { allowOrigin, corsRefused, corsUnavailable, foreignOrigin } from '../cors/cors';
import type { CorsOrigins } from '../cors/cors-origins';
import type { SessionPeek } from '../session/session-peek';
import type { IntegratorLimits } from './integrator-limits';

/** The services behind `/api/<name>/…`: the name is the service's own API prefix (`/api/v1/<name>`). */
export function upstreams(config: GatewayConfig): Record<string, string> {
  return {
    sso: config.SSO_URL,
    pbx: config.PBX_INTEGRATION_URL,
    focus: config.FOCUS_URL,
    statix: config.STATIX_URL,
    helper: config.HELPER_URL,
  };
}

/** `/api/focus/x` and `/api/v1/focus/x` → `{ service: 'focus', path: '/api/v1/focus/x' }`. */
export function routeOf(url: string): { service: string; path: string } | null {
  const match = /^\/api\/(?:v1\/)?([a-z-]+)(\/[^?#]*)?(\?.*)?$/.exec(url);
  if (!match) return null;
  const [, service = '', rest = '', query = ''] = match;
  return { service, path: `/api/v1/${service}${rest}${query}` };
}

const BEARER = /^Bearer\s+\S+$/i;

/** `512kb`, `1mb` (the HTTP_BODY_LIMIT format) in bytes. */
export function bodyLimitBytes(limit: string): number {
  const match = /^(\d+)(b|kb|mb)$/i.exec(limit);
  if (!match) throw new Error(`unreadable body limit ${limit}`);
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[match[2]!.toLowerCase() as 'b' | 'kb' | 'mb'];
  return Number(match[1]) * unit;
}

/**
 * `/api/<service>/…` → the service, streamed, over keep-alive connections. The caller's own Bearer token
 * (an integrator) goes through as is; a browser session's token is added from Redis and a non-GET request
 * must carry the session's CSRF token. A session whose token is fresh is only read (`SessionPeek`); one
 * close to expiry goes through express-session (`sessions`) so the refreshed tokens are saved. No
 * credentials at all: 401. A call from another origin (CORS) needs a Bearer token whose tenant allows that
 * origin; otherwise 403 `CORS_ORIGIN_NOT_ALLOWED`.
 * The service checks the token itself (libs/auth). An upstream that is down answers 502, one that is too
 * slow 504, both with a JSON error; `x-request-id` goes upstream.
 */
export function apiProxy(
  config: GatewayConfig,
  keeper: SessionTokenKeeper,
  limits: IntegratorLimits,
  sessions: { peek: SessionPeek; middleware: RequestHandler },
  cors: { origins: CorsOrigins; ownOrigin: string },
  logger: Logger,
): RequestHandler {
  const maxBody = bodyLimitBytes(config.HTTP_BODY_LIMIT);
  const agent = new Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 });
  const proxies = new Map<string, ProxyHandler>();
  for (const [name, target] of Object.entries(upstreams(config))) {
    proxies.set(
      name,
      createProxyMiddleware<IncomingMessage, ServerResponse>({
        target,
        agent,
        changeOrigin: false,
        xfwd: true,
        proxyTimeout: config.PROXY_TIMEOUT_MS,
        timeout: config.PROXY_TIMEOUT_MS,
        pathRewrite: (path) => routeOf(path)?.path ?? path,
        on: {
          proxyReq(proxyReq, req) {
            const auth = (req as Request & { okcAuthorization?: string }).okcAuthorization;
            if (auth) proxyReq.setHeader('authorization', auth);
            proxyReq.removeHeader('cookie'); // services authenticate by token only
            const id = (req as Request).res?.getHeader('x-request-id');
            if (typeof id === 'string') proxyReq.setHeader('x-request-id', id);
          },
          error(err, req, res) {
            const code = (err as NodeJS.ErrnoException).code;
            const timedOut = code === 'ECONNRESET' || code === 'ETIMEDOUT' || /timeout/i.test(err.message);
            logger.warn({ err, service: name, target, url: req.url }, 'upstream failed');
            if (!('writeHead' in res) || res.headersSent) {
              if ('destroy' in res) res.destroy();
              return;
            }
            const status = timedOut ? 504 : 502;
            res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
            res.end(
              JSON.stringify({
                error: timedOut ? 'GATEWAY_TIMEOUT' : 'BAD_GATEWAY',
                message: `${name} did not answer${timedOut ? ' in time' : ''}; retry shortly.`,
              }),
            );
          },
        },
      }),
    );
  }

  return (req: Request, res: Response, next) => {
    const route = routeOf(req.originalUrl);
    if (!route) return next();
    const proxy = proxies.get(route.service);
    // Not a proxied service (the gateway's own `/api/v1/gateway/*`, or nothing): Nest answers, 404 included.
    if (!proxy) return next();
    // Streamed bodies are not parsed here; a declared size over the limit is refused before any work.
    if (Number(req.get('content-length') ?? 0) > maxBody) {
      return sendError(
        req,
        res,
        413,
        'PAYLOAD_TOO_LARGE',
        `The body is larger than ${config.HTTP_BODY_LIMIT}`,
      );
    }
    const given = req.get('authorization');
    const origin = foreignOrigin(req, cors.ownOrigin);
    if (given) {
      if (!BEARER.test(given))
        return sendError(req, res, 401, 'UNAUTHORIZED', 'Expected Authorization: Bearer');
      limits.admit(given.replace(/^Bearer\s+/i, '')).then(async (decision) => {
        if (origin) {
          // The token's tenant decides; a refused token has none, so any tenant's allowing will do for
          // the caller to read its 401.
          const tenantId = decision.ok ? decision.principal.tenantId : decision.tenantId;
          const allowed = await (
            tenantId ? cors.origins.allows(tenantId, origin) : cors.origins.anyAllows(origin)
          ).catch(() => undefined);
          if (allowed === undefined) return corsUnavailable(req, res);
          if (!allowed) return corsRefused(req, res, origin);
          allowOrigin(res, origin);
        }
        if (decision.ok) return void proxy(req, res, next);
        if (decision.retryAfterSec) res.setHeader('Retry-After', String(decision.retryAfterSec));
        if (decision.status === 401)
          res.setHeader('WWW-Authenticate', 'Bearer realm="okc", error="invalid_token"');
        sendError(req, res, decision.status, decision.error, decision.message);
      }, next);
      return;
    }
    // The session cookie is for the SPAs, which the gateway serves itself: never from another origin.
    if (origin) return corsRefused(req, res, origin);
    const forward = (token: string | undefined, csrfToken: string | undefined) => {
      if (!token) return sendError(req, res, 401, 'UNAUTHORIZED', 'Sign in first, or send a Bearer token');
      if (!csrfOk(req, csrfToken))
        return sendError(req, res, 403, 'CSRF_TOKEN_INVALID', 'Missing or wrong x-csrf-token');
      (req as Request & { okcAuthorization?: string }).okcAuthorization = `Bearer ${token}`;
      void proxy(req, res, next);
    };
    sessions.peek.read(req).then((peeked) => {
      const tokens = peeked?.okc;
      if (tokens && keeper.isFresh(tokens)) return forward(tokens.accessToken, peeked.csrfToken);
      // No session, or its token needs a refresh that must be saved: the full session machinery.
      sessions.middleware(req, res, (err?: unknown) => {
        if (err) return next(err);
        keeper.accessToken(req).then((token) => forward(token, req.session?.csrfToken), next);
      });
    }, next);
  };
}
