import { type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { PUBLIC_ROUTE_KEY } from '@okc/runtime';
import {
  AuthUnavailableError,
  MissingRoleError,
  TokenRejectedError,
  UnauthorizedError,
} from '../auth.errors';
import { hasAnyRole, type Role } from '../principal';
import { SocketAuthError } from '../socket';
import { ROLES_KEY } from './auth.decorators';
import { OKC_JWT_STRATEGY } from './bearer.strategy';
import { principalOf } from './principal-of';
import { bearerChallenge } from './www-authenticate';

interface ChallengeResponse {
  setHeader(name: string, value: string): unknown;
}

/**
 * The global guard `AuthModule` installs: every HTTP route needs a valid access token unless it or its
 * controller is marked `@Public()` (runtime's `@PublicRoute()`: health, metrics, about), and `@Roles(...)`
 * is enforced on top. On socket.io gateway handlers it enforces `@Roles(...)` against the principal the
 * socket authenticated with at connection (`socketAuthMiddleware`). Other contexts (there is no token in a
 * Kafka message) pass.
 *
 * Errors are DomainErrors, shaped by runtime's AllExceptionsFilter. The filter writes only status and body,
 * so the `WWW-Authenticate` challenge of a 401 is set on the response here, before throwing.
 */
@Injectable()
export class OkcAuthGuard extends AuthGuard(OKC_JWT_STRATEGY) {
  private readonly logger = new Logger('Auth');
  private issuerDown = false;

  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE_KEY, targets)) return true;
    const type = context.getType();
    if (type === 'http') await super.canActivate(context);
    else if (type !== 'ws') return true;

    const principal = principalOf(context);
    if (!principal) {
      if (type === 'ws') throw new SocketAuthError('UNAUTHORIZED', 'missing-token', 'Not authenticated');
      throw new UnauthorizedError('missing-token', 'An access token is required');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (!hasAnyRole(principal, roles)) {
      if (type === 'ws') throw SocketAuthError.forbidden(roles);
      throw new MissingRoleError(roles);
    }
    return true;
  }

  /** Passport's verdict: a principal, a rejection from `TokenVerifier`, or no (usable) token at all. */
  override handleRequest<TUser>(
    err: unknown,
    user: unknown,
    _info: unknown,
    context: ExecutionContext,
    status?: unknown,
  ): TUser {
    if (!err && user) {
      if (this.issuerDown) this.logger.log('The identity provider is reachable again');
      this.issuerDown = false;
      return user as TUser;
    }
    const response = context.switchToHttp().getResponse<ChallengeResponse>();
    if (err instanceof TokenRejectedError) {
      if (err.reason === 'issuer-unreachable') {
        if (!this.issuerDown) this.logger.warn(`Cannot check access tokens: ${err.message}`);
        this.issuerDown = true;
        throw new AuthUnavailableError(err);
      }
      response.setHeader('WWW-Authenticate', bearerChallenge('invalid_token', err.message));
      throw new UnauthorizedError(err.reason, err.message);
    }
    if (err instanceof Error) throw err;
    if (err) throw new Error('Bearer authentication failed', { cause: err });
    if (status === 400) {
      const message = 'The Authorization header is not "Bearer <token>"';
      response.setHeader('WWW-Authenticate', bearerChallenge('invalid_request', message));
      throw new UnauthorizedError('malformed', message);
    }
    response.setHeader('WWW-Authenticate', bearerChallenge());
    throw new UnauthorizedError('missing-token', 'An access token is required');
  }
}
