import { TokenRejectedError, type AuthPrincipal, type TokenVerifier } from '@okc/auth';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export type LimitDecision =
  | { readonly ok: true; readonly principal: AuthPrincipal }
  | {
      readonly ok: false;
      readonly status: 401 | 429 | 503;
      readonly error: string;
      readonly message: string;
      readonly retryAfterSec?: number;
      /** The token's tenant, when the token itself was good (a 429). */
      readonly tenantId?: string;
    };

/**
 * What the gateway checks of a caller's own Bearer token (an integrator's, usually) before forwarding it:
 * that it is a token of our sso (remembered once verified, see libs/auth), and that its tenant and its
 * client are within their request rates (Redis, shared by every gateway instance; a minute window each).
 * The service behind checks the token again; this only keeps bad and excessive traffic out.
 */
export class IntegratorLimits {
  private readonly perTenant: RateLimiterRedis;
  private readonly perClient: RateLimiterRedis;

  constructor(
    redis: Redis,
    private readonly verifier: TokenVerifier,
    limits: { perTenantPerMinute: number; perClientPerMinute: number },
  ) {
    const common = { storeClient: redis, useRedisPackage: false, duration: 60 };
    this.perTenant = new RateLimiterRedis({
      ...common,
      keyPrefix: 'rl:tenant',
      points: limits.perTenantPerMinute,
    });
    this.perClient = new RateLimiterRedis({
      ...common,
      keyPrefix: 'rl:client',
      points: limits.perClientPerMinute,
    });
  }

  async admit(token: string): Promise<LimitDecision> {
    let principal: AuthPrincipal;
    try {
      principal = await this.verifier.verify(token);
    } catch (err) {
      if (err instanceof TokenRejectedError && err.reason === 'issuer-unreachable') {
        return {
          ok: false,
          status: 503,
          error: 'AUTH_UNAVAILABLE',
          message: 'Tokens cannot be checked right now',
        };
      }
      const reason = err instanceof TokenRejectedError ? err.reason : 'malformed';
      return {
        ok: false,
        status: 401,
        error: 'UNAUTHORIZED',
        message: `The access token is refused (${reason})`,
      };
    }
    try {
      await this.perClient.consume(principal.clientId ?? principal.subject);
      await this.perTenant.consume(principal.tenantId);
      return { ok: true, principal };
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      return {
        ok: false,
        status: 429,
        error: 'RATE_LIMITED',
        message: 'Too many requests; slow down and retry after the given time',
        retryAfterSec: Math.max(1, Math.ceil(err.msBeforeNext / 1000)),
        tenantId: principal.tenantId,
      };
    }
  }
}
