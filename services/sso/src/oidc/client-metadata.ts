import type { ClientMetadata } from 'oidc-provider';
import type { OidcClient } from '../clients/oidc-client.entity';
import { hashClientSecret } from '../clients/client-secret';
import { GATEWAY_CLIENT_ID, type OkcClientMetadata } from './oidc.constants';

export type OkcClient = ClientMetadata & OkcClientMetadata;

/**
 * A stored client as oidc-provider metadata. `client_secret` holds the secret's hash; sso compares a
 * presented secret by hashing it (see OidcProviderFactory), and no algorithm that would use the secret as
 * an HMAC key (client_secret_jwt, HS256 ID tokens) is enabled.
 */
export function toClientMetadata(row: OidcClient): OkcClient {
  const base = {
    client_id: row.id,
    client_name: row.name,
    okc_tenant: row.tenantId,
    okc_kind: row.kind,
    okc_roles: row.roles,
  };
  if (row.kind === 'integrator') {
    return {
      ...base,
      client_secret: row.secretHash ?? undefined,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
    };
  }
  return {
    ...base,
    ...(row.secretHash
      ? { client_secret: row.secretHash, token_endpoint_auth_method: 'client_secret_basic' as const }
      : { token_endpoint_auth_method: 'none' as const }),
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: row.redirectUris,
    post_logout_redirect_uris: row.postLogoutRedirectUris,
  };
}

/** The gateway, configured rather than stored: its redirect URIs follow PUBLIC_URL. */
export function gatewayClient(publicUrl: string, secret: string, extraRedirectUris: string[]): OkcClient {
  return {
    client_id: GATEWAY_CLIENT_ID,
    client_name: 'OKC',
    client_secret: hashClientSecret(secret),
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [`${publicUrl}/auth/callback`, ...extraRedirectUris],
    post_logout_redirect_uris: [`${publicUrl}/`, `${publicUrl}/auth/signed-out`, ...extraRedirectUris],
    okc_tenant: null,
    okc_kind: 'first-party',
    okc_roles: [],
  };
}
