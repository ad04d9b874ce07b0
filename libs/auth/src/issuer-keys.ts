import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch as joseCustomFetch,
  errors,
  type FlattenedJWSInput,
  type JWSHeaderParameters,
  type CryptoKey,
  type LocalJWKSet,
  type RemoteJWKSet,
} from 'jose';
import { allowInsecureRequests, customFetch as clientCustomFetch, discovery } from 'openid-client';
import type { IssuerFetch } from './issuer-fetch';

/** The issuer's keys could not be fetched (discovery or JWKS): nobody's token can be checked right now. */
export class IssuerUnreachableError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'IssuerUnreachableError';
  }
}

export interface IssuerKeysOptions {
  readonly issuer: string;
  readonly fetch: IssuerFetch;
  /** After a fetch, how long an unknown `kid` is answered without asking again (also caps retries). */
  readonly cooldownMs: number;
  /** How long fetched keys are used before they are fetched again (so removed keys stop being trusted). */
  readonly cacheMaxAgeMs: number;
  /** Timeout of one discovery or JWKS request. */
  readonly timeoutMs: number;
}

/**
 * A failed discovery is answered from memory for at most this long (or the cooldown, if shorter): long
 * enough that an outage does not turn every request into a request to the issuer, short enough that a
 * service started before the SSO (as `npm start` does) recovers within seconds once it is up.
 */
const DISCOVERY_RETRY_MAX_MS = 5_000;

/** We are a resource server, not a client; openid-client wants a client id for its configuration anyway. */
const RESOURCE_SERVER_CLIENT_ID = 'okc-resource-server';

/** jose errors that mean "the JWKS was fetched, but it has no single key for this token". */
const KEY_SELECTION_ERRORS: ReadonlySet<string> = new Set([
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
  errors.JOSENotSupported.code,
  errors.JWKInvalid.code,
]);

/**
 * The issuer's verification keys, found the standard way: OIDC discovery (openid-client) gives `jwks_uri`,
 * jose's remote JWK set fetches and caches it and fetches again for an unknown `kid` once the cooldown has
 * passed — that is how a key rotation at the SSO reaches every service without a restart.
 *
 * Discovery happens on first use, not at startup, so a service starts while the SSO is down; a failed
 * discovery is retried (at most every 5 s, or the cooldown if shorter), never cached. When the JWKS must be
 * refreshed (its max age passed) but the issuer cannot be reached, the keys already fetched keep being used
 * (jose alone would fail every token then): an SSO outage stops new sign-ins, not every service. A token
 * whose key is not among them is answered "issuer unreachable", since we cannot tell whether its key is new.
 */
export class IssuerKeys {
  private remote: Promise<RemoteJWKSet> | undefined;
  private discoveryFailure: { at: number; error: IssuerUnreachableError } | undefined;
  private refreshFailedAt = Number.NEGATIVE_INFINITY;
  private stale: LocalJWKSet | undefined;

  constructor(private readonly options: IssuerKeysOptions) {}

  /** For `jwtVerify`: the key for a token's header. Throws `IssuerUnreachableError` or a jose key error. */
  readonly keyFor = async (header: JWSHeaderParameters, token: FlattenedJWSInput): Promise<CryptoKey> => {
    const remote = await this.jwks();
    const cached = this.stale;
    if (cached && !remote.fresh && Date.now() - this.refreshFailedAt < this.options.cooldownMs) {
      return this.fromStale(cached, header, token);
    }
    try {
      const key = await remote(header, token);
      this.stale = undefined;
      return key;
    } catch (error) {
      if (!isFetchFailure(error)) throw error;
      this.refreshFailedAt = Date.now();
      const known = remote.jwks();
      if (known === undefined)
        throw new IssuerUnreachableError(`The JWKS cannot be fetched: ${messageOf(error)}`, error);
      this.stale = cached ?? createLocalJWKSet(known);
      return this.fromStale(this.stale, header, token);
    }
  };

  private async fromStale(
    stale: LocalJWKSet,
    header: JWSHeaderParameters,
    token: FlattenedJWSInput,
  ): Promise<CryptoKey> {
    try {
      return await stale(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey) {
        throw new IssuerUnreachableError('The JWKS cannot be refreshed to find the token key', error);
      }
      throw error;
    }
  }

  private async jwks(): Promise<RemoteJWKSet> {
    const failure = this.discoveryFailure;
    const retryAfterMs = Math.min(this.options.cooldownMs, DISCOVERY_RETRY_MAX_MS);
    if (failure && Date.now() - failure.at < retryAfterMs) throw failure.error;
    this.remote ??= this.discover().then(
      (remote) => {
        this.discoveryFailure = undefined;
        return remote;
      },
      (error: unknown) => {
        // Forget the failed attempt, so a later token tries again.
        this.remote = undefined;
        const unreachable = new IssuerUnreachableError(
          `OIDC discovery of ${this.options.issuer} failed: ${messageOf(error)}`,
          error,
        );
        this.discoveryFailure = { at: Date.now(), error: unreachable };
        throw unreachable;
      },
    );
    return this.remote;
  }

  private async discover(): Promise<RemoteJWKSet> {
    const { issuer, fetch, timeoutMs } = this.options;
    const config = await discovery(new URL(issuer), RESOURCE_SERVER_CLIENT_ID, undefined, undefined, {
      [clientCustomFetch]: fetch,
      // openid-client refuses http:// unless told; an http issuer is a local or test setup.
      execute: issuer.startsWith('http://') ? [allowInsecureRequests] : [],
      timeout: Math.max(1, Math.ceil(timeoutMs / 1000)),
    });
    const jwksUri = config.serverMetadata().jwks_uri;
    if (jwksUri === undefined) throw new Error('the discovery document has no jwks_uri');
    return createRemoteJWKSet(new URL(jwksUri), {
      cooldownDuration: this.options.cooldownMs,
      cacheMaxAge: this.options.cacheMaxAgeMs,
      timeoutDuration: timeoutMs,
      [joseCustomFetch]: fetch,
    });
  }
}

/** Anything but "fetched, and no key matched": network errors, timeouts, non-200, not a JWKS. */
function isFetchFailure(error: unknown): boolean {
  return !(error instanceof errors.JOSEError && KEY_SELECTION_ERRORS.has(error.code));
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
