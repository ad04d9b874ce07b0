/** The fetch signature both openid-client's and jose's `customFetch` accept. */
export type IssuerFetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * `url` under `from` moved under `to`; any other URL unchanged. "Under" respects path boundaries, so
 * `http://h/sso` covers `http://h/sso/jwks` but not `http://h/ssox`.
 */
export function rewriteUrl(url: string, from: string, to: string): string {
  if (!url.startsWith(from)) return url;
  const rest = url.slice(from.length);
  if (rest !== '' && !/^[/?#]/.test(rest)) return url;
  return to + rest;
}

/**
 * The fetch used for discovery and JWKS: requests to the public issuer URL go to `discoveryUrl` instead
 * when one is configured (a service reaches the SSO directly, not through the gateway).
 */
export function issuerFetch(
  issuer: string,
  discoveryUrl: string | undefined,
  base: IssuerFetch = (url, init) => fetch(url, init),
): IssuerFetch {
  if (discoveryUrl === undefined || discoveryUrl === issuer) return base;
  return (url, init) => base(rewriteUrl(url, issuer, discoveryUrl), init);
}
