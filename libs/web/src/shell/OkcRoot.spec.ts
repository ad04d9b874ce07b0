import { enableAutoUnmount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useSessionStore } from '../session/session.store';
import {
  fakeGateway,
  jsonResponse,
  meResponse,
  mountShell,
  settle,
  testMessages,
  testRoutes,
} from '../testing';

enableAutoUnmount(afterEach);

describe('the shell before the layout: checking the session', () => {
  beforeEach(() => {
    localStorage.clear();
  });

  it('shows a loading state while /auth/me has not answered', async () => {
    const never = fakeGateway(null, { 'GET /auth/me': () => new Promise<Response>(() => undefined) });

    const { wrapper } = await mountShell({
      appName: 'operator',
      routes: testRoutes,
      messages: testMessages,
      fetch: never,
    });

    expect(wrapper.get('[data-testid="loading-state"]').text()).toContain('Проверяем вход…');
    expect(wrapper.find('header').exists()).toBe(false);
  });

  it('signed out: says it is going to sign-in and sends the browser there', async () => {
    const { wrapper, assign } = await mountShell({
      appName: 'operator',
      routes: testRoutes,
      messages: testMessages,
      me: null,
      path: '/calls',
    });

    expect(wrapper.text()).toContain('Переходим на страницу входа…');
    expect(assign).toHaveBeenCalledWith(expect.stringMatching(/^\/auth\/login\?returnTo=/));
    expect(wrapper.find('header').exists()).toBe(false);
  });

  it('gateway down: an error with a retry that loads the session again', async () => {
    let down = true;
    const fetch = fakeGateway(null, {
      'GET /auth/me': () =>
        down
          ? jsonResponse(503, { error: 'UNAVAILABLE', message: 'x', requestId: 'req-42' })
          : jsonResponse(200, meResponse()),
    });
    const { wrapper } = await mountShell({
      appName: 'operator',
      routes: testRoutes,
      messages: testMessages,
      fetch,
    });

    const error = wrapper.get('[data-testid="error-state"]');
    expect(error.text()).toContain('Не удалось проверить вход');
    expect(error.text()).toContain('req-42');

    down = false;
    await wrapper.get('[data-testid="retry"]').trigger('click');
    await settle();

    expect(wrapper.find('[data-testid="error-state"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="user-name"]').text()).toBe('Ольга Петрова');
  });

  it('an unknown path inside the SPA shows "not found" in the layout', async () => {
    const { wrapper } = await mountShell({
      appName: 'operator',
      routes: testRoutes,
      messages: testMessages,
      path: '/no/such/page',
    });

    expect(wrapper.get('main').text()).toContain('Страница не найдена');
    expect(wrapper.find('header').exists()).toBe(true);
  });

  it('sets the tab title from the route and the SPA', async () => {
    await mountShell({ appName: 'operator', routes: testRoutes, messages: testMessages, path: '/calls' });

    expect(document.title).toBe('Звонки · FOCUS — рабочее место оператора');
  });

  it('the session store it uses is the shell pinia one', async () => {
    const { shell } = await mountShell({
      appName: 'manager',
      routes: testRoutes,
      messages: testMessages,
      me: meResponse({ roles: ['manager'] }),
    });

    expect(useSessionStore(shell.pinia).status).toBe('signed-in');
  });
});
