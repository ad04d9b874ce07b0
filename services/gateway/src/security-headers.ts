import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { GatewayConfig } from './config';

/**
 * The headers of everything the gateway serves itself (SPAs, landing page, its API answers): a CSP that
 * fits a Vite-built SPA (own scripts only; inline styles, which the UI kit's theme injects at runtime;
 * websockets to the same origin), no framing, `nosniff`, no referrer leaks, HSTS in production (behind TLS).
 */
export function securityHeaders(config: GatewayConfig): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity:
      config.NODE_ENV === 'production' ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    xFrameOptions: { action: 'deny' },
  });
}
