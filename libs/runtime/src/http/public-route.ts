import { SetMetadata } from '@nestjs/common';

/**
 * Metadata key that marks a controller or handler as reachable without a token. Every route of every
 * service is authenticated by default (libs/auth installs a global guard); only what carries this mark is
 * not: health, metrics, about, and the sign-in pages of sso.
 */
export const PUBLIC_ROUTE_KEY = 'okc:public-route';

/** `@PublicRoute()` on a controller or handler: no token needed (libs/auth re-exports it as `@Public()`). */
export const PublicRoute = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE_KEY, true);
