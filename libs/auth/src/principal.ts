import { z } from 'zod';
import { ROLES, tenantIdSchema, type Role } from '@okc/contracts';

export type { Role };

/** Who made the request, from a verified access token. */
export interface AuthPrincipal {
  /** `sub`: the user id, or the client id of a client-credentials token. */
  readonly subject: string;
  /** `tenant`: every query and socket room of the request is scoped to it. */
  readonly tenantId: string;
  /** The known roles of `roles`; unknown ones are dropped, so a newer SSO cannot grant what we do not know. */
  readonly roles: readonly Role[];
  readonly name?: string;
  /** `preferred_username`. */
  readonly username?: string;
  /** `client_id`: the OIDC client the token was issued to. */
  readonly clientId?: string;
  /** `client` for a client-credentials token (its `sub` is its `client_id`), `user` otherwise. */
  readonly kind: 'user' | 'client';
  /** `scope`, split on spaces. */
  readonly scope: readonly string[];
  /** `jti`. */
  readonly tokenId?: string;
  /** `exp`. Sockets are disconnected then. */
  readonly expiresAt: Date;
}

const KNOWN_ROLES: ReadonlySet<string> = new Set(ROLES);

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && KNOWN_ROLES.has(value);
}

const optionalString = z.string().min(1).optional().catch(undefined);

/**
 * The claims this library relies on, checked after the signature: required ones must be there with the right
 * type (a wrong type is as useless as a missing claim), optional ones are ignored when malformed.
 */
const claimsSchema = z.object({
  sub: z.string().min(1).max(255),
  tenant: tenantIdSchema,
  roles: z.array(z.unknown()).transform((roles) => [...new Set(roles.filter(isRole))]),
  exp: z.number().finite(),
  name: optionalString,
  preferred_username: optionalString,
  client_id: optionalString,
  jti: optionalString,
  scope: z.string().optional().catch(undefined),
});

export type PrincipalFromClaims =
  | { readonly ok: true; readonly principal: AuthPrincipal }
  | { readonly ok: false; readonly claims: string[] };

/** Builds the principal from a verified claim set, or names the required claims that are missing or invalid. */
export function principalFromClaims(payload: Readonly<Record<string, unknown>>): PrincipalFromClaims {
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) {
    return { ok: false, claims: [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))] };
  }
  const claims = parsed.data;
  const principal: AuthPrincipal = {
    subject: claims.sub,
    tenantId: claims.tenant,
    roles: claims.roles,
    kind: claims.client_id !== undefined && claims.client_id === claims.sub ? 'client' : 'user',
    scope: claims.scope?.split(' ').filter((s) => s.length > 0) ?? [],
    expiresAt: new Date(claims.exp * 1000),
    ...(claims.name === undefined ? {} : { name: claims.name }),
    ...(claims.preferred_username === undefined ? {} : { username: claims.preferred_username }),
    ...(claims.client_id === undefined ? {} : { clientId: claims.client_id }),
    ...(claims.jti === undefined ? {} : { tokenId: claims.jti }),
  };
  return { ok: true, principal };
}

/** True when the principal has at least one of `roles` (any-of); no roles asked means any principal. */
export function hasAnyRole(principal: AuthPrincipal, roles: readonly Role[]): boolean {
  return roles.length === 0 || roles.some((role) => principal.roles.includes(role));
}
