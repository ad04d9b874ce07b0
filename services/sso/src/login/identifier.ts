/** What the sign-in form's fields mean: `op1@demo`, or `op1` with `demo` in the tenant field. */
export interface SignInIdentifier {
  readonly login: string;
  readonly tenant: string;
}

const TENANT = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const LOGIN = /^[^\s@]{1,128}$/u;

/**
 * Parses the login field (and the optional tenant field). The last `@` separates the tenant, so a login
 * may not itself contain one. Both are trimmed and lower-cased. A tenant typed in both places must agree.
 * Returns null for anything that cannot name an account (the page then says "wrong login or password",
 * like for any other failure).
 */
export function parseIdentifier(loginField: unknown, tenantField: unknown): SignInIdentifier | null {
  if (typeof loginField !== 'string') return null;
  const raw = loginField.trim().toLowerCase();
  const field = typeof tenantField === 'string' ? tenantField.trim().toLowerCase() : '';
  const at = raw.lastIndexOf('@');
  const login = at >= 0 ? raw.slice(0, at) : raw;
  const typedTenant = at >= 0 ? raw.slice(at + 1) : '';
  if (typedTenant && field && typedTenant !== field) return null;
  const tenant = typedTenant || field;
  if (!LOGIN.test(login) || !TENANT.test(tenant)) return null;
  return { login, tenant };
}

/** The brute-force key of an identifier, whether or not the account exists. */
export const accountKeyOf = (id: SignInIdentifier): string => `${id.login}@${id.tenant}`;
