/** The realm of every challenge. */
export const AUTH_REALM = 'okc';

/**
 * The `WWW-Authenticate` value of a 401 (RFC 6750 §3). Without an error code when the request had no token
 * at all (a client then simply has to sign in), with `error` and a description otherwise. Quotes and
 * backslashes, which the quoted-string grammar forbids there, are dropped from the description.
 */
export function bearerChallenge(error?: 'invalid_token' | 'invalid_request', description?: string): string {
  let challenge = `Bearer realm="${AUTH_REALM}"`;
  if (error) challenge += `, error="${error}"`;
  if (error && description) {
    challenge += `, error_description="${description.replace(/[^\x20-\x7e]|["\\]/g, '')}"`;
  }
  return challenge;
}
