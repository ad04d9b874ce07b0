import { issuerFetch } from '@okc/auth';
import * as oidc from 'openid-client';
import type { GatewayConfig } from '../config';

/** The scopes the gateway asks for: identity, the OKC claims, and a refresh token. */
export const GATEWAY_SCOPES = 'openid profile email okc offline_access';

/**
 * The gateway as a confidential OpenID client of sso. Discovery is lazy and retried: the gateway starts
 * while sso may still be starting; a failed discovery is not remembered. Requests to the issuer go to
 * `SSO_URL` directly (the issuer URL itself goes through this very gateway).
 */
export class GatewayOidcClient {
  private configuration: Promise<oidc.Configuration> | null = null;
  readonly issuer: string;

  constructor(private readonly config: GatewayConfig) {
    this.issuer = `${config.PUBLIC_URL}/sso`;
  }

  get callbackUrl(): string {
    return `${this.config.PUBLIC_URL}/auth/callback`;
  }

  discover(): Promise<oidc.Configuration> {
    this.configuration ??= this.load().catch((err: unknown) => {
      this.configuration = null;
      throw err;
    });
    return this.configuration;
  }

  async refresh(refreshToken: string): Promise<oidc.TokenEndpointResponse> {
    return oidc.refreshTokenGrant(await this.discover(), refreshToken);
  }

  /** Where to send the browser to end the SSO session (every client's). */
  async endSessionUrl(idToken: string | undefined): Promise<string> {
    const config = await this.discover();
    return oidc
      .buildEndSessionUrl(config, {
        post_logout_redirect_uri: `${this.config.PUBLIC_URL}/`,
        ...(idToken ? { id_token_hint: idToken } : { client_id: this.config.GATEWAY_CLIENT_ID }),
      })
      .toString();
  }

  private async load(): Promise<oidc.Configuration> {
    // Reached directly, sso would build its endpoint URLs from its own address; the browser must be sent
    // to the public ones, so the gateway says where it stands, as it does for proxied browser requests.
    const publicUrl = new URL(this.config.PUBLIC_URL);
    const direct = issuerFetch(this.issuer, `${this.config.SSO_URL}/sso`);
    const rewrite = (url: string, init: RequestInit) => {
      const headers = new Headers(init.headers);
      headers.set('x-forwarded-host', publicUrl.host);
      headers.set('x-forwarded-proto', publicUrl.protocol.replace(':', ''));
      return direct(url, { ...init, headers });
    };
    const configuration = await oidc.discovery(
      new URL(this.issuer),
      this.config.GATEWAY_CLIENT_ID,
      undefined,
      oidc.ClientSecretBasic(this.config.GATEWAY_CLIENT_SECRET),
      {
        ...(this.issuer.startsWith('http://') ? { execute: [oidc.allowInsecureRequests] } : {}),
        [oidc.customFetch]: (url: string, init: RequestInit) => rewrite(url, init),
        timeout: 5,
      },
    );
    configuration[oidc.customFetch] = (url: string, init: RequestInit) => rewrite(url, init);
    return configuration;
  }
}
