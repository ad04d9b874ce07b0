import type { LogoutResponse, MeResponse, Role, SessionUser } from '@okc/contracts';
import { hasAnyRole } from '@okc/contracts';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiError } from '../api/api-error';
import { useApi } from '../api/use-api';
import { browser, signInUrl } from '../platform/browser';
import { parseLogoutResponse, parseMeResponse } from './session-response';

/**
 * `idle` before the first check, `loading` while `/auth/me` answers, `signed-in`, `signed-out` (the browser is
 * on its way to sign-in) or `error` (the gateway could not tell: 5xx or no network after the retries).
 */
export type SessionStatus = 'idle' | 'loading' | 'signed-in' | 'signed-out' | 'error';

/** The browser session held by the gateway, as `GET /auth/me` describes it. */
export const useSessionStore = defineStore('okc-session', () => {
  const status = ref<SessionStatus>('idle');
  const user = ref<SessionUser | null>(null);
  const csrfToken = ref<string | null>(null);
  const error = ref<ApiError | null>(null);
  let pending: Promise<void> | null = null;

  const roles = computed<readonly string[]>(() => user.value?.roles ?? []);
  const loading = computed(() => status.value === 'idle' || status.value === 'loading');

  /** The session is gone (a 401 anywhere): forget the user and go to sign-in, coming back here afterwards. */
  function signedOut(): void {
    if (status.value === 'signed-out') return;
    user.value = null;
    csrfToken.value = null;
    status.value = 'signed-out';
    browser.assign(signInUrl(browser.currentPath()));
  }

  async function fetchMe(): Promise<void> {
    status.value = 'loading';
    error.value = null;
    try {
      const me: MeResponse = await useApi().get('/auth/me', { quiet: true, parse: parseMeResponse });
      user.value = me.user;
      csrfToken.value = me.csrfToken;
      status.value = 'signed-in';
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        signedOut();
        return;
      }
      error.value = err instanceof ApiError ? err : new ApiError(0, 'SESSION_CHECK_FAILED', String(err));
      status.value = 'error';
    }
  }

  /** Asks the gateway who is signed in; concurrent calls share one request. */
  function load(): Promise<void> {
    pending ??= fetchMe().finally(() => {
      pending = null;
    });
    return pending;
  }

  /** Ends the session at the gateway, then lets the browser follow the RP-initiated logout at sso. */
  async function logout(): Promise<void> {
    const { redirectTo }: LogoutResponse = await useApi().post('/auth/logout', undefined, {
      parse: parseLogoutResponse,
    });
    user.value = null;
    csrfToken.value = null;
    status.value = 'signed-out';
    browser.assign(redirectTo);
  }

  function allows(allowed: readonly Role[]): boolean {
    return hasAnyRole(roles.value, allowed);
  }

  return { status, user, csrfToken, error, roles, loading, load, logout, signedOut, allows };
});
