import type { Role } from '../roles';

/** The three SPAs; the gateway serves each at `/<name>/`. */
export const SPA_NAMES = ['operator', 'supervisor', 'manager'] as const;
export type SpaName = (typeof SPA_NAMES)[number];

/**
 * Which roles may open which SPA. `integrator` opens none: integrators use the REST API. The SPA shell
 * (libs/web) shows a "no access" page with links to the SPAs a user may open; the gateway can use the same
 * table to send a user to the right SPA after sign-in.
 */
export const SPA_ROLES: Readonly<Record<SpaName, readonly Role[]>> = {
  operator: ['operator', 'supervisor', 'admin'],
  supervisor: ['supervisor', 'admin'],
  manager: ['manager', 'admin'],
};

/** True when one of `roles` is among `allowed`. Unknown role names never match. */
export function hasAnyRole(roles: readonly string[], allowed: readonly Role[]): boolean {
  return roles.some((role) => (allowed as readonly string[]).includes(role));
}

export function canOpenSpa(roles: readonly string[], spa: SpaName): boolean {
  return hasAnyRole(roles, SPA_ROLES[spa]);
}

/** The SPAs `roles` may open, in the order of `SPA_NAMES`. */
export function spasOpenTo(roles: readonly string[]): SpaName[] {
  return SPA_NAMES.filter((spa) => canOpenSpa(roles, spa));
}

/** Where the gateway serves an SPA: `/operator/`. */
export function spaPath(spa: SpaName): string {
  return `/${spa}/`;
}
