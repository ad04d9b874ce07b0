/** The resource indicator of the OKC API (absolute, as RFC 8707 requires) and its token audience. */
export const OKC_API_RESOURCE = 'urn:okc:api';
export const OKC_API_AUDIENCE = 'okc-api';
/** The one scope of the OKC API resource; roles, not scopes, decide what a token may do. */
export const OKC_API_SCOPE = 'api';

/** The gateway (issue #4): the first-party, confidential client behind which OKC's own SPAs live. */
export const GATEWAY_CLIENT_ID = 'okc-gateway';

/** Scopes a first-party client is granted without a consent page. */
export const FIRST_PARTY_SCOPES = 'openid profile email offline_access okc';

/** Our extra client metadata (oidc-provider keeps these names as given). */
export interface OkcClientMetadata {
  okc_tenant: string | null;
  okc_kind: 'first-party' | 'third-party' | 'integrator';
  okc_roles: string[];
}
