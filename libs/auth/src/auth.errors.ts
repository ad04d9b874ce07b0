import { HttpStatus } from '@nestjs/common';
import { DomainError } from '@okc/runtime';

/** Why a token was not accepted; stable strings, returned as `details.reason` and used as a metric label. */
export const TOKEN_REJECTION_REASONS = [
  'expired',
  'not-yet-valid',
  'bad-audience',
  'bad-issuer',
  'bad-algorithm',
  'bad-signature',
  'unknown-key',
  'bad-type',
  'malformed',
  'missing-claim',
  'issuer-unreachable',
] as const;
export type TokenRejectionReason = (typeof TOKEN_REJECTION_REASONS)[number];

/**
 * The verifier did not accept a token. Not an HTTP error by itself: the guard answers 401 for every reason
 * but `issuer-unreachable`, which is our fault, not the token's, and answered 503.
 */
export class TokenRejectedError extends Error {
  constructor(
    readonly reason: TokenRejectionReason,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TokenRejectedError';
  }
}

/** `details.reason` of a 401: a rejection reason, or no token at all. */
export type UnauthorizedReason = Exclude<TokenRejectionReason, 'issuer-unreachable'> | 'missing-token';

/** 401 `UNAUTHORIZED`. The guard also sets the `WWW-Authenticate` challenge on the response. */
export class UnauthorizedError extends DomainError {
  constructor(
    readonly reason: UnauthorizedReason,
    message: string,
  ) {
    super('UNAUTHORIZED', message, HttpStatus.UNAUTHORIZED, { details: { reason } });
  }
}

/** 403 `FORBIDDEN`: a valid token without any of the roles the route requires. */
export class MissingRoleError extends DomainError {
  constructor(readonly requiredRoles: readonly string[]) {
    super('FORBIDDEN', `Requires one of the roles: ${requiredRoles.join(', ')}`, HttpStatus.FORBIDDEN, {
      details: { requiredRoles },
    });
  }
}

/** 503 `AUTH_UNAVAILABLE`: the issuer's keys cannot be fetched, so no token can be checked right now. */
export class AuthUnavailableError extends DomainError {
  constructor(cause?: unknown) {
    super(
      'AUTH_UNAVAILABLE',
      'The identity provider cannot be reached to check the access token; try again shortly',
      HttpStatus.SERVICE_UNAVAILABLE,
      { details: { reason: 'issuer-unreachable' }, cause },
    );
  }
}
