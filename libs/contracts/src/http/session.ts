import type { Role } from '../roles';

/** The UI languages of OKC; Russian is the default. */
export const UI_LOCALES = ['ru', 'en'] as const;
export type UiLocale = (typeof UI_LOCALES)[number];

/** The signed-in user as the SPAs see it: `GET /auth/me` on the gateway. */
export interface SessionUser {
  readonly id: string;
  readonly login: string;
  readonly name: string;
  readonly tenant: string;
  readonly roles: readonly Role[];
  /** The user's language from sso, or null when they never chose one. */
  readonly locale: UiLocale | null;
}

/** `GET /auth/me` → 200 (401 `UNAUTHORIZED` when there is no session). */
export interface MeResponse {
  readonly user: SessionUser;
  /** Echoed in the `x-csrf-token` header of every non-GET request of this session. */
  readonly csrfToken: string;
}

/** `POST /auth/logout` → 200: where the browser goes next (the OpenID provider's end-session page). */
export interface LogoutResponse {
  readonly redirectTo: string;
}
