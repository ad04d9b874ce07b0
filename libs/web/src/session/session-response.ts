import { ROLES, UI_LOCALES, type LogoutResponse, type MeResponse, type Role } from '@okc/contracts';
import { ApiError } from '../api/api-error';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function badResponse(what: string): ApiError {
  return new ApiError(0, 'BAD_RESPONSE', `The gateway answered ${what} in an unexpected shape`);
}

function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

/**
 * Checks `GET /auth/me`: a wrong shape is a gateway bug, and failing here names it instead of letting an
 * `undefined` travel into the layout. Role names this build does not know are dropped, not fatal.
 */
export function parseMeResponse(data: unknown): MeResponse {
  if (!isObject(data) || !isObject(data['user']) || typeof data['csrfToken'] !== 'string') {
    throw badResponse('/auth/me');
  }
  const user = data['user'];
  const strings = ['id', 'login', 'name', 'tenant'] as const;
  if (strings.some((field) => typeof user[field] !== 'string') || !Array.isArray(user['roles'])) {
    throw badResponse('/auth/me');
  }
  const locale = user['locale'];
  return {
    csrfToken: data['csrfToken'],
    user: {
      id: user['id'] as string,
      login: user['login'] as string,
      name: user['name'] as string,
      tenant: user['tenant'] as string,
      roles: user['roles'].filter(isRole),
      locale: (UI_LOCALES as readonly unknown[]).includes(locale)
        ? (locale as MeResponse['user']['locale'])
        : null,
    },
  };
}

export function parseLogoutResponse(data: unknown): LogoutResponse {
  if (!isObject(data) || typeof data['redirectTo'] !== 'string') throw badResponse('/auth/logout');
  return { redirectTo: data['redirectTo'] };
}
