import type { Request } from 'express';
import { decodeJwt } from 'jose';
import type { Logger } from 'pino';
import type { GatewayOidcClient } from './oidc-client';
import type { SessionUser } from '@okc/contracts';
import type { SessionTokens } from './session-data';
import { isRole } from '@okc/auth';

/** The user of a token response, from its ID token claims (sso puts tenant and roles there with scope okc). */
export function sessionTokensFrom(tokens: {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in?: number;
}): SessionTokens {
  const access = decodeJwt(tokens.access_token);
  const id = tokens.id_token ? decodeJwt(tokens.id_token) : {};
  const claims = { ...id, ...access };
  const roles = Array.isArray(claims['roles']) ? claims['roles'].filter(isRole) : [];
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const sub = text(claims.sub) ?? '';
  const login = text(claims['preferred_username']) ?? sub;
  const user: SessionUser = {
    id: sub,
    login,
    name: text(claims['name']) ?? login,
    tenant: text(claims['tenant']) ?? '',
    roles,
    locale: claims['locale'] === 'en' || claims['locale'] === 'ru' ? claims['locale'] : null,
  };
  return {
    accessToken: tokens.access_token,
    ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
    ...(tokens.id_token ? { idToken: tokens.id_token } : {}),
    expiresAt: access.exp ?? Math.floor(Date.now() / 1000) + (tokens.expires_in ?? 300),
    user,
  };
}

/**
 * The session's access token, refreshed first when it expires within `marginS`. Refreshes of one session
 * are single-flight within this process: refresh tokens rotate, so two parallel refreshes with the same
 * token would sign the user out. Answers undefined when the session cannot be kept (no refresh token, or
 * sso refused it): the caller then asks the user to sign in again.
 */
export class SessionTokenKeeper {
  private readonly inFlight = new Map<string, Promise<SessionTokens | undefined>>();

  constructor(
    private readonly client: GatewayOidcClient,
    private readonly marginS: number,
    private readonly logger: Logger,
  ) {}

  /** Whether the tokens can be used as they are (not within the refresh margin of their expiry). */
  isFresh(tokens: SessionTokens): boolean {
    return tokens.expiresAt - this.marginS > Date.now() / 1000;
  }

  async accessToken(req: Request): Promise<string | undefined> {
    const tokens = req.session.okc;
    if (!tokens) return undefined;
    if (this.isFresh(tokens)) return tokens.accessToken;
    let pending = this.inFlight.get(req.sessionID);
    if (!pending) {
      pending = this.refresh(req, tokens).finally(() => this.inFlight.delete(req.sessionID));
      this.inFlight.set(req.sessionID, pending);
    }
    return (await pending)?.accessToken;
  }

  private async refresh(req: Request, tokens: SessionTokens): Promise<SessionTokens | undefined> {
    if (!tokens.refreshToken) return this.drop(req, 'no refresh token');
    try {
      const fresh = sessionTokensFrom(await this.client.refresh(tokens.refreshToken));
      req.session.okc = { ...fresh, idToken: fresh.idToken ?? tokens.idToken };
      await new Promise<void>((resolve, reject) =>
        req.session.save((err: unknown) =>
          err ? reject(err instanceof Error ? err : new Error('session save failed')) : resolve(),
        ),
      );
      return req.session.okc;
    } catch (err) {
      this.logger.info({ err, user: tokens.user.id }, 'session refresh refused; the user must sign in again');
      return this.drop(req, 'refresh refused');
    }
  }

  private drop(req: Request, why: string): undefined {
    this.logger.debug({ why }, 'session tokens dropped');
    delete req.session.okc;
    return undefined;
  }
}
