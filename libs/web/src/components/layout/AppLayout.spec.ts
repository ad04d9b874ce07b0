import { enableAutoUnmount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeGateway, meResponse, mountShell, settle, testMessages, testRoutes } from '../../testing';

enableAutoUnmount(afterEach);

const operator = meResponse({ roles: ['operator'], name: 'Ольга Петрова', tenant: 'demo' });

describe('layout', () => {
  beforeEach(() => {
    localStorage.clear();
  });

  it('renders in Russian by default: SPA title, user, tenant, logout, navigation', async () => {
    const { wrapper } = await mountShell({
      appName: 'operator',
      routes: testRoutes,
      messages: testMessages,
      me: operator,
    });

    expect(document.documentElement.lang).toBe('ru');
    expect(wrapper.get('[data-testid="app-title"]').text()).toBe('FOCUS — рабочее место оператора');
    expect(wrapper.get('[data-testid="user-name"]').text()).toBe('Ольга Петрова');
    expect(wrapper.get('[data-testid="user-tenant"]').text()).toBe('Организация: demo');
    expect(wrapper.get('[data-testid="logout"]').text()).toBe('Выйти');
    expect(wrapper.get('nav').attributes('aria-label')).toBe('Разделы');
    expect(wrapper.findAll('nav a').map((a) => a.text())).toEqual(['Очередь', 'Звонки']);
    expect(wrapper.find('[data-testid="queue-view"]').exists()).toBe(true);
  });

  it('renders in English when English is chosen', async () => {
    const { wrapper } = await mountShell({
      appName: 'supervisor',
      routes: testRoutes,
      messages: testMessages,
      me: meResponse({ roles: ['supervisor'], name: 'Sam Smith', tenant: 'acme' }),
      locale: 'en',
    });

    expect(document.documentElement.lang).toBe('en');
    expect(wrapper.get('[data-testid="app-title"]').text()).toBe('Supervisor — wallboard and scripts');
    expect(wrapper.get('[data-testid="user-name"]').text()).toBe('Sam Smith');
    expect(wrapper.get('[data-testid="user-tenant"]').text()).toBe('Organization: acme');
    expect(wrapper.get('[data-testid="logout"]').text()).toBe('Sign out');
    expect(wrapper.findAll('nav a').map((a) => a.text())).toEqual(['Queue', 'Calls', 'Supervisors only']);
  });

  it('the ru/en switch changes the language at once and remembers it in this browser', async () => {
    const { wrapper } = await mountShell({
      appName: 'operator',
      routes: testRoutes,
      messages: testMessages,
      me: operator,
    });

    const english = wrapper
      .get('[data-testid="locale-switch"]')
      .findAll('button')
      .find((b) => b.text() === 'EN');
    await english!.trigger('click');

    expect(wrapper.get('[data-testid="logout"]').text()).toBe('Sign out');
    expect(wrapper.findAll('nav a').map((a) => a.text())).toEqual(['Queue', 'Calls']);
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem('okc.locale')).toBe('en');
  });

  it('starts in the language remembered in this browser', async () => {
    localStorage.setItem('okc.locale', 'en');

    const { wrapper } = await mountShell({
      appName: 'operator',
      routes: testRoutes,
      messages: testMessages,
      me: operator,
    });

    expect(wrapper.get('[data-testid="logout"]').text()).toBe('Sign out');
  });

  it("follows the user's language from sso until one is picked here", async () => {
    const english = meResponse({ roles: ['operator'], locale: 'en' });

    const first = await mountShell({
      appName: 'operator',
      routes: testRoutes,
      messages: testMessages,
      me: english,
    });
    expect(first.wrapper.get('[data-testid="logout"]').text()).toBe('Sign out');
    first.wrapper.unmount();

    localStorage.setItem('okc.locale', 'ru');
    const second = await mountShell({
      appName: 'operator',
      routes: testRoutes,
      messages: testMessages,
      me: english,
    });
    expect(second.wrapper.get('[data-testid="logout"]').text()).toBe('Выйти');
  });

  it('navigation lists only the sections the roles open; opening another one says "no access"', async () => {
    const { wrapper, shell } = await mountShell({
      appName: 'operator',
      routes: testRoutes,
      messages: testMessages,
      me: operator,
    });
    expect(wrapper.find('[data-testid="nav-secret"]').exists()).toBe(false);

    await shell.router.push('/secret');
    await settle();

    expect(wrapper.find('[data-testid="secret-view"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="route-no-access"]').text()).toContain(
      'Этот раздел недоступен для ваших ролей.',
    );
  });

  it('a navigation link opens its (lazy) section and marks it active', async () => {
    const { wrapper } = await mountShell({
      appName: 'operator',
      routes: testRoutes,
      messages: testMessages,
      me: operator,
    });

    await wrapper.get('[data-testid="nav-calls"]').trigger('click');
    await settle();

    expect(wrapper.find('[data-testid="calls-view"]').exists()).toBe(true);
    expect(wrapper.get('[data-testid="nav-calls"]').classes()).toContain('okc-nav__link--active');
    expect(wrapper.get('[data-testid="nav-queue"]').classes()).not.toContain('okc-nav__link--active');
  });

  it('logout posts to the gateway and leaves for the redirect it answers', async () => {
    const fetch = fakeGateway(operator);
    const { wrapper, assign } = await mountShell({
      appName: 'operator',
      routes: testRoutes,
      messages: testMessages,
      fetch,
    });

    await wrapper.get('[data-testid="logout"]').trigger('click');
    await settle();

    expect(fetch).toHaveBeenCalledWith('/auth/logout', expect.objectContaining({ method: 'POST' }));
    expect(assign).toHaveBeenCalledWith('/sso/session/end?client_id=gateway');
  });
});
