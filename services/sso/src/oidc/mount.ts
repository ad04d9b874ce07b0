import type { NestExpressApplication } from '@nestjs/platform-express';
import { OidcHostService } from './oidc-host.service';

/**
 * Mounts oidc-provider at `/sso`, ahead of the body parsers (it reads its own bodies) and of Nest's
 * routes; `/sso/interaction/*` falls through to Nest (the sign-in pages). The client IP is taken from
 * X-Forwarded-For only when the request comes from a loopback or private address (the gateway).
 */
export function mountOidc(app: NestExpressApplication): void {
  app.set('trust proxy', 'loopback, uniquelocal');
  app.use('/sso', app.get(OidcHostService).middleware());
}
