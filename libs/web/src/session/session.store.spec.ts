import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { useApi } from '../api/use-api';
import { useNoticesStore } from '../notices/notices.store';
import { browser } from '../platform/browser';
import { installApiClient } from '../shell/install-api-client';
import { fakeGateway, headerOf, jsonResponse, meResponse, type FetchMock } from '../testing';
import { useSessionStore } from './session.store';

describe('session store', () => {
  let pinia: Pinia;
  let assign: MockInstance<(url: string) => void>;

  function withGateway(fetch: FetchMock): FetchMock {
    installApiClient(pinia, { fetch, retryDelaysMs: [0, 0] });
    return fetch;
  }

  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    assign = vi.spyOn(browser, 'assign').mockImplementation(() => undefined);
    window.history.replaceState(null, '', '/operator/history?day=2026-01-05');
  });

  it('starts idle and loading, then holds the user and the CSRF token from /auth/me', async () => {
    withGateway(
      fakeGateway(meResponse({ roles: ['operator', 'supervisor'], name: 'Ольга', tenant: 'acme' })),
    );
    const session = useSessionStore();
    expect(session.status).toBe('idle');
    expect(session.loading).toBe(true);

    const loaded = session.load();
    expect(session.status).toBe('loading');
    await loaded;

    expect(session.status).toBe('signed-in');
    expect(session.loading).toBe(false);
    expect(session.user).toMatchObject({ name: 'Ольга', tenant: 'acme' });
    expect(session.roles).toEqual(['operator', 'supervisor']);
    expect(session.csrfToken).toBe('csrf-token-1');
    expect(session.allows(['supervisor', 'admin'])).toBe(true);
    expect(session.allows(['manager'])).toBe(false);
    expect(assign).not.toHaveBeenCalled();
  });

  it('signed out (401): goes to sign-in with the current page as returnTo', async () => {
    withGateway(fakeGateway(null));
    const session = useSessionStore();

    await session.load();

    expect(session.status).toBe('signed-out');
    expect(session.user).toBeNull();
    expect(assign).toHaveBeenCalledTimes(1);
    expect(assign).toHaveBeenCalledWith('/auth/login?returnTo=%2Foperator%2Fhistory%3Fday%3D2026-01-05');
  });

  it('gateway failing (5xx after the retries): status error with the cause, no redirect and no notice', async () => {
    const fetch = withGateway(
      fakeGateway(null, {
        'GET /auth/me': () => jsonResponse(500, { error: 'INTERNAL', message: 'boom', requestId: 'r-1' }),
      }),
    );
    const session = useSessionStore();

    await session.load();

    expect(session.status).toBe('error');
    expect(session.error).toMatchObject({ status: 500, code: 'INTERNAL', requestId: 'r-1' });
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(assign).not.toHaveBeenCalled();
    expect(useNoticesStore().notices).toEqual([]);
  });

  it('load() again after an error recovers', async () => {
    let down = true;
    withGateway(
      fakeGateway(null, {
        'GET /auth/me': () =>
          down ? jsonResponse(503, { error: 'UNAVAILABLE', message: 'x' }) : jsonResponse(200, meResponse()),
      }),
    );
    const session = useSessionStore();
    await session.load();
    expect(session.status).toBe('error');

    down = false;
    await session.load();

    expect(session.status).toBe('signed-in');
    expect(session.error).toBeNull();
  });

  it('a malformed /auth/me answer is an error that names it, not a half-signed-in user', async () => {
    withGateway(fakeGateway(null, { 'GET /auth/me': () => jsonResponse(200, { user: { name: 'x' } }) }));
    const session = useSessionStore();

    await session.load();

    expect(session.status).toBe('error');
    expect(session.error).toMatchObject({ code: 'BAD_RESPONSE' });
    expect(session.user).toBeNull();
  });

  it('drops role names it does not know and an unknown locale', async () => {
    const me = meResponse();
    withGateway(
      fakeGateway(null, {
        'GET /auth/me': () =>
          jsonResponse(200, { ...me, user: { ...me.user, roles: ['operator', 'root'], locale: 'de' } }),
      }),
    );
    const session = useSessionStore();

    await session.load();

    expect(session.roles).toEqual(['operator']);
    expect(session.user?.locale).toBeNull();
  });

  it('concurrent loads share one request', async () => {
    const fetch = withGateway(fakeGateway(meResponse()));
    const session = useSessionStore();

    await Promise.all([session.load(), session.load(), session.load()]);

    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('a 401 from any API call ends the session and goes to sign-in once', async () => {
    withGateway(
      fakeGateway(meResponse(), {
        'GET /api/focus/whoami': () => jsonResponse(401, { error: 'UNAUTHORIZED', message: 'expired' }),
      }),
    );
    const session = useSessionStore();
    await session.load();

    await Promise.allSettled([useApi().get('/api/focus/whoami'), useApi().get('/api/focus/whoami')]);

    expect(session.status).toBe('signed-out');
    expect(session.csrfToken).toBeNull();
    expect(assign).toHaveBeenCalledTimes(1);
    expect(assign).toHaveBeenCalledWith('/auth/login?returnTo=%2Foperator%2Fhistory%3Fday%3D2026-01-05');
  });

  it('logout posts with the CSRF token, forgets the user and follows the redirect to sso', async () => {
    const fetch = withGateway(fakeGateway(meResponse()));
    const session = useSessionStore();
    await session.load();

    await session.logout();

    const [url, init] = fetch.mock.calls[1]!;
    expect(url).toBe('/auth/logout');
    expect(init?.method).toBe('POST');
    expect(headerOf(init, 'x-csrf-token')).toBe('csrf-token-1');
    expect(session.status).toBe('signed-out');
    expect(session.user).toBeNull();
    expect(assign).toHaveBeenCalledWith('/sso/session/end?client_id=gateway');
  });

  it('a failed logout keeps the session and rejects', async () => {
    withGateway(
      fakeGateway(meResponse(), {
        'POST /auth/logout': () => jsonResponse(500, { error: 'INTERNAL', message: 'x' }),
      }),
    );
    const session = useSessionStore();
    await session.load();

    await expect(session.logout()).rejects.toMatchObject({ status: 500 });

    expect(session.status).toBe('signed-in');
    expect(assign).not.toHaveBeenCalled();
  });
});
