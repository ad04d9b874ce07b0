import type { RequestHandler } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import type { Logger } from 'pino';

/**
 * `/sso/*` → sso, unchanged: the OpenID provider's issuer is `<PUBLIC_URL>/sso`, so browsers and relying
 * parties reach discovery, the sign-in pages, the token endpoint and JWKS through the gateway. The request
 * is streamed (no body parsing here) and X-Forwarded-For/Proto/Host are set, which sso trusts from a
 * private address to build its URLs and to throttle by the client's address. An sso that does not answer
 * gives a 502 JSON error naming it. The gateway's own features (sessions, the REST proxy) come with #4.
 */
export function ssoProxy(target: string, logger: Logger): RequestHandler {
  return createProxyMiddleware({
    target,
    pathFilter: (path) => path === '/sso' || path.startsWith('/sso/'),
    xfwd: true,
    proxyTimeout: 30_000,
    on: {
      error(err, _req, res) {
        logger.warn({ err, target }, 'sso did not answer through the gateway');
        if ('writeHead' in res && !res.headersSent) {
          res.writeHead(502, { 'content-type': 'application/json; charset=utf-8' });
          res.end(
            JSON.stringify({ error: 'BAD_GATEWAY', message: 'Sign-in is unavailable; retry shortly.' }),
          );
        } else {
          res.destroy();
        }
      },
    },
  }) as RequestHandler;
}
