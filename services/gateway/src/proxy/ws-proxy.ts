import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Request, RequestHandler, Response } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import type { Logger } from 'pino';
import type { SessionTokenKeeper } from '../bff/session-tokens';

/** `/ws/<service>/…` → the service; the path is kept (the service serves socket.io at `/ws/<name>/socket.io`). */
export function wsServiceOf(url: string | undefined): string | null {
  return /^\/ws\/([a-z-]+)(?:\/|\?|$)/.exec(url ?? '')?.[1] ?? null;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * socket.io through the gateway: a WebSocket upgrade (or a long-polling request) on `/ws/<service>` is
 * forwarded with the browser session's access token as `Authorization: Bearer` (the service's socket
 * middleware, libs/auth, checks it and joins the tenant's rooms). No session: the upgrade is refused 401.
 */
export function attachWsProxy(
  server: Server,
  services: Record<string, string>,
  session: RequestHandler,
  keeper: SessionTokenKeeper,
  logger: Logger,
): RequestHandler {
  const proxies = new Map(
    Object.entries(services).map(([name, target]) => [
      name,
      createProxyMiddleware({
        target,
        ws: true,
        xfwd: true,
        on: {
          proxyReq(proxyReq, req) {
            const auth = (req as Request & { okcAuthorization?: string }).okcAuthorization;
            if (auth) proxyReq.setHeader('authorization', auth);
            proxyReq.removeHeader('cookie');
          },
          proxyReqWs(proxyReq, req) {
            const auth = (req as IncomingMessage & { okcAuthorization?: string }).okcAuthorization;
            if (auth) proxyReq.setHeader('authorization', auth);
            proxyReq.removeHeader('cookie');
          },
          error(err, req) {
            logger.warn({ err, url: req.url }, 'websocket upstream failed');
          },
        },
      }),
    ]),
  );

  const authorize = (req: IncomingMessage): Promise<string | undefined> =>
    new Promise((resolve, reject) => {
      // express-session on a bare upgrade request: it only reads the cookie and loads the session.
      session(req as Request, {} as Response, (err?: unknown) => {
        if (err) return reject(err instanceof Error ? err : new Error('session failed'));
        keeper.accessToken(req as Request).then(resolve, reject);
      });
    });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const service = wsServiceOf(req.url);
    if (!service) return; // not ours: another listener (or nobody) handles it
    const proxy = proxies.get(service);
    if (!proxy?.upgrade) return refuse(socket, 404, 'Not Found');
    authorize(req).then(
      (token) => {
        if (!token) return refuse(socket, 401, 'Unauthorized');
        (req as IncomingMessage & { okcAuthorization?: string }).okcAuthorization = `Bearer ${token}`;
        proxy.upgrade(req, socket as never, head);
      },
      (err: unknown) => {
        logger.warn({ err }, 'websocket session could not be read');
        refuse(socket, 503, 'Service Unavailable');
      },
    );
  });

  // socket.io's HTTP long-polling transport (and its first handshake) arrive as plain requests.
  return (req, res, next) => {
    const service = wsServiceOf(req.originalUrl);
    if (!service) return next();
    const proxy = proxies.get(service);
    if (!proxy) return next();
    keeper.accessToken(req).then((token) => {
      if (!token) {
        res.status(401).json({ error: 'UNAUTHORIZED', message: 'Sign in first' });
        return;
      }
      (req as Request & { okcAuthorization?: string }).okcAuthorization = `Bearer ${token}`;
      void proxy(req, res, next);
    }, next);
  };
}
