import { decodeProtectedHeader, errors, jwtVerify, type ProtectedHeaderParameters } from 'jose';
import type { AuthConfig } from './auth.config';
import { TokenRejectedError, type TokenRejectionReason } from './auth.errors';
import { type IssuerFetch, issuerFetch } from './issuer-fetch';
import { VerifiedTokenCache } from './verified-token-cache';
import { IssuerKeys, IssuerUnreachableError } from './issuer-keys';
import { type AuthPrincipal, principalFromClaims } from './principal';

/**
 * The signature algorithms accepted. Asymmetric only: `none` would accept anything, and an HS* token
 * "signed" with the issuer's public key (which anyone can fetch) is the classic algorithm-confusion forgery.
 */
export const ALLOWED_ALGORITHMS = ['RS256', 'PS256', 'ES256'] as const;
const ALLOWED_ALGORITHM_SET: ReadonlySet<string> = new Set(ALLOWED_ALGORITHMS);

/**
 * RFC 9068 access tokens are typed `at+jwt`; checking it keeps an ID token (same issuer, same keys, typ
 * `JWT`) from being replayed as an access token.
 */
const ACCESS_TOKEN_TYPES: ReadonlySet<string> = new Set(['at+jwt', 'application/at+jwt']);

/** Far above any real access token; a bigger "token" is not parsed at all. */
const MAX_TOKEN_LENGTH = 16 * 1024;

const DEFAULT_CLOCK_TOLERANCE_S = 5;
const DEFAULT_JWKS_COOLDOWN_MS = 30_000;
const DEFAULT_JWKS_CACHE_MAX_AGE_MS = 10 * 60_000;
const DEFAULT_HTTP_TIMEOUT_MS = 5_000;
const DEFAULT_VERIFIED_CACHE_MS = 60_000;
const DEFAULT_VERIFIED_CACHE_ENTRIES = 10_000;

/** What one `verify` call ended with: the metric label `outcome`. */
export type VerificationOutcome = 'accepted' | TokenRejectionReason;

export interface TokenVerifierOptions {
  /** The issuer identifier tokens must carry in `iss`, without a trailing slash. */
  readonly issuer: string;
  /** The `aud` tokens must name. */
  readonly audience: string;
  /** Where to reach the issuer instead of its public URL (see `OIDC_DISCOVERY_URL`). */
  readonly discoveryUrl?: string;
  /** Leeway for `exp` and `nbf`, seconds (5). */
  readonly clockToleranceSec?: number;
  /** Minimum time between JWKS fetches caused by unknown `kid`s (30 s); failed discoveries are retried sooner. */
  readonly jwksCooldownMs?: number;
  /** How long fetched keys are trusted before they are fetched again (10 min). */
  readonly jwksCacheMaxAgeMs?: number;
  /** Timeout of one request to the issuer (5 s). */
  readonly httpTimeoutMs?: number;
  /** The fetch to reach the issuer with (the global one). Tests use it to simulate failures. */
  readonly fetch?: IssuerFetch;
  /**
   * How long a verified token is remembered (60 s; never past its `exp`; 0 turns it off): the same token
   * presented again is not verified again. See `VerifiedTokenCache`.
   */
  readonly verifiedCacheMs?: number;
  /** At most this many remembered tokens (10 000). */
  readonly verifiedCacheEntries?: number;
  /** Called once per `verify` with its outcome (the Nest module counts them in a metric). */
  readonly onOutcome?: (outcome: VerificationOutcome) => void;
}

/** `TokenVerifierOptions` from the parsed `authConfigSchema` variables. */
export function verifierOptionsFromConfig(config: AuthConfig): TokenVerifierOptions {
  return {
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE,
    clockToleranceSec: config.OIDC_CLOCK_TOLERANCE_S,
    jwksCooldownMs: config.OIDC_JWKS_COOLDOWN_MS,
    verifiedCacheMs: config.OIDC_VERIFIED_CACHE_MS,
    ...(config.OIDC_DISCOVERY_URL === undefined ? {} : { discoveryUrl: config.OIDC_DISCOVERY_URL }),
  };
}

/**
 * Checks an access token of our SSO and says who it belongs to. No Nest dependency: the HTTP guard and
 * the socket.io middleware both use it. Checks, in this order, the cheap ones before any network:
 * well-formed JWS, allowed algorithm, `typ` `at+jwt`; then the issuer's keys (OIDC discovery + JWKS, see
 * `IssuerKeys`), signature, `iss`, `aud`, `nbf`/`exp` with leeway, and the claims we need (`sub`, `tenant`,
 * `roles`, `exp`).
 */
export class TokenVerifier {
  private readonly keys: IssuerKeys;
  private readonly clockTolerance: number;
  private readonly verified: VerifiedTokenCache;

  constructor(private readonly options: TokenVerifierOptions) {
    const cooldownMs = options.jwksCooldownMs ?? DEFAULT_JWKS_COOLDOWN_MS;
    this.clockTolerance = options.clockToleranceSec ?? DEFAULT_CLOCK_TOLERANCE_S;
    this.verified = new VerifiedTokenCache(
      options.verifiedCacheEntries ?? DEFAULT_VERIFIED_CACHE_ENTRIES,
      options.verifiedCacheMs ?? DEFAULT_VERIFIED_CACHE_MS,
    );
    this.keys = new IssuerKeys({
      issuer: options.issuer,
      fetch: issuerFetch(options.issuer, options.discoveryUrl, options.fetch),
      cooldownMs,
      cacheMaxAgeMs: options.jwksCacheMaxAgeMs ?? DEFAULT_JWKS_CACHE_MAX_AGE_MS,
      timeoutMs: options.httpTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS,
    });
  }

  get issuer(): string {
    return this.options.issuer;
  }

  /** The principal of a valid token; otherwise throws `TokenRejectedError` saying why. */
  async verify(token: string): Promise<AuthPrincipal> {
    const remembered = this.verified.get(token);
    if (remembered) {
      this.options.onOutcome?.('accepted');
      return remembered;
    }
    try {
      const principal = await this.check(token);
      this.verified.set(token, principal);
      this.options.onOutcome?.('accepted');
      return principal;
    } catch (error) {
      const rejection = rejectionOf(error);
      this.options.onOutcome?.(rejection.reason);
      throw rejection;
    }
  }

  private async check(token: string): Promise<AuthPrincipal> {
    checkHeader(token);
    const { payload } = await jwtVerify(token, this.keys.keyFor, {
      algorithms: [...ALLOWED_ALGORITHMS],
      issuer: this.options.issuer,
      audience: this.options.audience,
      typ: 'at+jwt',
      clockTolerance: this.clockTolerance,
      requiredClaims: ['exp', 'sub', 'tenant', 'roles'],
    });
    const result = principalFromClaims(payload);
    if (!result.ok) {
      throw new TokenRejectedError(
        'missing-claim',
        `The access token has invalid claims: ${result.claims.join(', ')}`,
      );
    }
    return result.principal;
  }
}

/** The checks that need no key: done before discovery, so garbage never makes us call the issuer. */
function checkHeader(token: string): void {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || token.split('.').length !== 3) {
    throw new TokenRejectedError('malformed', 'The access token is not a signed JWT');
  }
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch (cause) {
    throw new TokenRejectedError('malformed', 'The access token header cannot be decoded', { cause });
  }
  const { alg, typ } = header;
  if (typeof alg !== 'string' || !ALLOWED_ALGORITHM_SET.has(alg)) {
    throw new TokenRejectedError('bad-algorithm', `The access token algorithm ${String(alg)} is not allowed`);
  }
  if (typeof typ !== 'string' || !ACCESS_TOKEN_TYPES.has(typ.toLowerCase())) {
    throw new TokenRejectedError('bad-type', `The token type ${String(typ)} is not an access token (at+jwt)`);
  }
}

/** Maps whatever jose (or the key source) threw to our reason. Unknown errors are "malformed": fail closed. */
function rejectionOf(error: unknown): TokenRejectedError {
  if (error instanceof TokenRejectedError) return error;
  const reject = (reason: TokenRejectionReason, message: string) =>
    new TokenRejectedError(reason, message, { cause: error });
  if (error instanceof IssuerUnreachableError) return reject('issuer-unreachable', error.message);
  if (error instanceof errors.JWTExpired) return reject('expired', 'The access token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') {
      return reject('missing-claim', `The access token has no "${error.claim}" claim`);
    }
    switch (error.claim) {
      case 'nbf':
        return reject('not-yet-valid', 'The access token is not valid yet');
      case 'aud':
        return reject('bad-audience', 'The access token is not meant for this API');
      case 'iss':
        return reject('bad-issuer', 'The access token comes from another issuer');
      case 'typ':
        return reject('bad-type', 'The token is not an access token (at+jwt)');
      default:
        return reject('malformed', `The access token claim "${error.claim}" is invalid`);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return reject('bad-algorithm', 'The access token algorithm is not allowed');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return reject('bad-signature', 'The access token signature is invalid');
  }
  if (error instanceof errors.JWKSMultipleMatchingKeys) {
    return reject('unknown-key', 'The access token names no key (kid) and several keys could match');
  }
  if (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JOSENotSupported ||
    error instanceof errors.JWKInvalid
  ) {
    return reject('unknown-key', 'The access token was signed with a key the issuer does not publish');
  }
  return reject('malformed', 'The access token is malformed');
}
