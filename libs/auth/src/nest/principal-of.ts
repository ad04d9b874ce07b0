import type { ExecutionContext } from '@nestjs/common';
import type { AuthPrincipal } from '../principal';

/** The parts of an HTTP request the guard and decorators use; passport puts the principal in `user`. */
export interface AuthenticatedRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly params?: Readonly<Record<string, string | undefined>>;
  user?: AuthPrincipal;
}

/** What a socket.io socket carries once `socketAuthMiddleware` accepted it. */
export interface SocketWithPrincipal {
  readonly data: { principal?: AuthPrincipal };
}

/**
 * The principal of the current HTTP request or socket.io message, if authenticated: passport's
 * `request.user`, or `socket.data.principal` set by `socketAuthMiddleware`.
 */
export function principalOf(context: ExecutionContext): AuthPrincipal | undefined {
  switch (context.getType()) {
    case 'http':
      return context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    case 'ws':
      return context.switchToWs().getClient<Partial<SocketWithPrincipal>>().data?.principal;
    case 'rpc':
      return undefined;
  }
}
