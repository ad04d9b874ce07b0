import { enableAutoUnmount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { meResponse, mountShell, settle, testMessages, testRoutes } from '../../testing';

enableAutoUnmount(afterEach);

describe('"no access" page: signed in, but no role opens this SPA', () => {
  beforeEach(() => {
    localStorage.clear();
  });

  it('a manager opening the operator SPA: no access, the roles, and a link to the manager SPA only', async () => {
    const { wrapper } = await mountShell({
      appName: 'operator',
      routes: testRoutes,
      messages: testMessages,
      me: meResponse({ roles: ['manager'] }),
    });

    const page = wrapper.get('[data-testid="no-access"]');
    expect(page.get('h1').text()).toBe('Нет доступа');
    expect(page.text()).toContain(
      'Ваши роли (руководитель) не открывают приложение «FOCUS — рабочее место оператора».',
    );
    const links = page.findAll('a');
    expect(links.map((a) => [a.attributes('href'), a.text()])).toEqual([
      ['/manager/', 'Руководитель — отчёты'],
    ]);
    // Nothing of the SPA itself: no navigation, no routes.
    expect(wrapper.find('nav').exists()).toBe(false);
    expect(wrapper.find('[data-testid="queue-view"]').exists()).toBe(false);
    // The header stays, so the user can sign out or switch language.
    expect(wrapper.get('[data-testid="user-name"]').text()).toBe('Ольга Петрова');
  });

  it('an operator opening the supervisor SPA is offered the operator SPA', async () => {
    const { wrapper } = await mountShell({
      appName: 'supervisor',
      routes: testRoutes,
      messages: testMessages,
      me: meResponse({ roles: ['operator'] }),
    });

    const links = wrapper.get('[data-testid="no-access"]').findAll('a');
    expect(links.map((a) => a.attributes('href'))).toEqual(['/operator/']);
  });

  it('an integrator opens no SPA at all and is told to ask the administrator', async () => {
    const { wrapper } = await mountShell({
      appName: 'manager',
      routes: testRoutes,
      messages: testMessages,
      me: meResponse({ roles: ['integrator'] }),
    });

    const page = wrapper.get('[data-testid="no-access"]');
    expect(page.findAll('a')).toHaveLength(0);
    expect(page.get('[data-testid="no-apps"]').text()).toContain('Обратитесь к администратору');
  });

  it('says it in English too', async () => {
    const { wrapper } = await mountShell({
      appName: 'manager',
      routes: testRoutes,
      messages: testMessages,
      me: meResponse({ roles: ['operator', 'supervisor'] }),
      locale: 'en',
    });

    const page = wrapper.get('[data-testid="no-access"]');
    expect(page.get('h1').text()).toBe('No access');
    expect(page.text()).toContain('Your roles (operator, supervisor) do not open “Manager — reports”.');
    expect(page.findAll('a').map((a) => a.text())).toEqual([
      'FOCUS — operator workstation',
      'Supervisor — wallboard and scripts',
    ]);
  });

  it('"sign in as another user" logs out', async () => {
    const { wrapper, assign } = await mountShell({
      appName: 'manager',
      routes: testRoutes,
      messages: testMessages,
      me: meResponse({ roles: ['operator'] }),
    });

    await wrapper.get('[data-testid="no-access"] button').trigger('click');
    await settle();

    expect(assign).toHaveBeenCalledWith('/sso/session/end?client_id=gateway');
  });

  it.each([
    ['operator', ['operator']],
    ['operator', ['supervisor']],
    ['operator', ['admin']],
    ['supervisor', ['supervisor']],
    ['supervisor', ['admin']],
    ['manager', ['manager']],
    ['manager', ['admin']],
  ] as const)('the %s SPA opens for %j', async (appName, roles) => {
    const { wrapper } = await mountShell({
      appName,
      routes: testRoutes,
      messages: testMessages,
      me: meResponse({ roles: [...roles] }),
    });

    expect(wrapper.find('[data-testid="no-access"]').exists()).toBe(false);
    expect(wrapper.find('nav').exists()).toBe(true);
  });
});
