/** The roles sso grants (in access tokens and the SPAs' session). Zod-free, so browser bundles stay small. */
export const ROLES = ['operator', 'supervisor', 'manager', 'admin', 'integrator'] as const;
export type Role = (typeof ROLES)[number];
