import type { NestExpressApplication } from '@nestjs/platform-express';
import { TokenVerifier } from '@okc/auth';
import { APP_CONFIG, REDIS_CLIENT, ROOT_LOGGER } from '@okc/runtime';
import session from 'express-session';
import type { Redis } from 'ioredis';
import passport from 'passport';
import type { Logger } from 'pino';
import { authRouter } from './bff/auth.router';
import { GatewayOidcClient } from './bff/oidc-client';
import { SessionTokenKeeper } from './bff/session-tokens';
import type { GatewayConfig } from './config';
import { corsPreflight } from './cors/cors';
import { CorsOrigins } from './cors/cors-origins';
import { apiProxy, upstreams } from './proxy/api-proxy';
import { attachWsProxy } from './proxy/ws-proxy';
import { IntegratorLimits } from './proxy/integrator-limits';
import { securityHeaders } from './security-headers';
import { spaStatic } from './spa/spa-static';
import { RedisSessionStore } from './session/redis-session.store';
import { SessionPeek } from './session/session-peek';
import { ssoProxy } from './sso-proxy/sso-proxy';

/** The session cookie's name (httpOnly, SameSite=Lax, Secure in production). */
export const SESSION_COOKIE = 'okc.sid';

/**
 * Everything the gateway does ahead of Nest's body parsers and routes, in order: trust the load balancer's
 * X-Forwarded-*, forward `/sso/*`, security headers, CORS preflights and the API proxy (`/api/*`, bodies
 * streamed), the Redis
 * session, the sign-in routes (`/auth/*`), the SPAs and the WebSocket proxy. Nest then serves the landing page, health, metrics and docs.
 */
export function mountGateway(app: NestExpressApplication): void {
  const config = app.get<GatewayConfig>(APP_CONFIG);
  const logger = app.get<Logger>(ROOT_LOGGER).child({ component: 'bff' });
  const redis = app.get<Redis>(REDIS_CLIENT);
  app.set('trust proxy', 'loopback, uniquelocal');
  app.use(ssoProxy(config.SSO_URL, logger)); // sso sets its own headers (its pages have their own CSP)
  app.use(securityHeaders(config));
  const store = new RedisSessionStore(redis, config.SESSION_TTL_S);
  const sessions = session({
    name: SESSION_COOKIE,
    secret: config.SESSION_SECRET,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false, // a fixed lifetime from sign-in (SESSION_TTL_S); see RedisSessionStore.touch
    proxy: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.NODE_ENV === 'production',
      maxAge: config.SESSION_TTL_S * 1000,
      path: '/',
    },
  });
  const client = new GatewayOidcClient(config);
  const keeper = new SessionTokenKeeper(client, config.TOKEN_REFRESH_MARGIN_S, logger);
  const verifier = new TokenVerifier({
    issuer: `${config.PUBLIC_URL}/sso`,
    discoveryUrl: `${config.SSO_URL}/sso`,
    audience: 'okc-api',
  });
  const limits = new IntegratorLimits(redis, verifier, {
    perTenantPerMinute: config.RATE_LIMIT_TENANT_PER_MIN,
    perClientPerMinute: config.RATE_LIMIT_CLIENT_PER_MIN,
  });
  // The API proxy reads sessions itself (express-session only when a token must be refreshed and saved).
  const peek = new SessionPeek(store, SESSION_COOKIE, config.SESSION_SECRET);
  const cors = { origins: app.get(CorsOrigins), ownOrigin: new URL(config.PUBLIC_URL).origin };
  app.use('/api', corsPreflight(cors.origins, cors.ownOrigin));
  app.use(apiProxy(config, keeper, limits, { peek, middleware: sessions }, cors, logger));
  app.use(sessions);
  app.use(passport.initialize());
  app.use(authRouter(client, keeper, logger));
  app.use(spaStatic());
  app.use(attachWsProxy(app.getHttpServer(), upstreams(config), sessions, keeper, logger));
}
