import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy, type VerifyFunction } from 'passport-http-bearer';
import type { AuthPrincipal } from '../principal';
import { TokenVerifier } from '../token-verifier';
import { AUTH_REALM } from './www-authenticate';

/** The passport strategy name; `AuthGuard(OKC_JWT_STRATEGY)` authenticates with it. */
export const OKC_JWT_STRATEGY = 'okc-jwt';

type StrategyRequest = Parameters<Strategy<VerifyFunction>['authenticate']>[0];

/**
 * passport-http-bearer finds the token, `TokenVerifier` checks it; the principal becomes `request.user`.
 * A rejected token makes `validate` throw, which passport hands to the guard as an error with its reason.
 *
 * Registered by name in passport's global instance when Nest creates it: one app per process (two apps in
 * one test file would share the last one's strategy).
 */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, OKC_JWT_STRATEGY) {
  constructor(private readonly verifier: TokenVerifier) {
    super({ realm: AUTH_REALM });
  }

  validate(token: string): Promise<AuthPrincipal> {
    return this.verifier.verify(token);
  }

  /**
   * Only the `Authorization` header: passport-http-bearer would also take `access_token` from the query
   * string and form bodies (RFC 6750 §2.2, 2.3), which ends up in access logs, proxies and browser history.
   */
  override authenticate(req: StrategyRequest, options?: object): void {
    const headerOnly = { headers: { authorization: req.headers.authorization } } as StrategyRequest;
    super.authenticate(headerOnly, options);
  }
}
