import { renderLanding } from './landing.page';

describe('the landing page', () => {
  it('offers sign-in to a visitor, Russian first', () => {
    const html = renderLanding({});
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain('href="/auth/login?returnTo=%2F"');
    expect(html).not.toContain('href="/operator/"');
  });

  it('links exactly the apps the roles open', () => {
    const operator = renderLanding({
      user: { name: 'Оператор 1', login: 'op1', tenant: 'demo', roles: ['operator'] },
    });
    expect(operator).toContain('href="/operator/"');
    expect(operator).not.toContain('href="/supervisor/"');
    expect(operator).not.toContain('href="/manager/"');
    const admin = renderLanding({ user: { name: 'A', login: 'admin', tenant: 'demo', roles: ['admin'] } });
    for (const app of ['operator', 'supervisor', 'manager']) expect(admin).toContain(`href="/${app}/"`);
  });

  it('tells an integrator there is no app for it, and escapes names', () => {
    const html = renderLanding({
      user: { name: '<script>x</script>', login: 'i', tenant: 'demo', roles: ['integrator'] },
    });
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>x');
    expect(html).toContain('role="status"');
  });

  it('says when the last sign-in failed', () => {
    expect(renderLanding({ signInFailed: true })).toContain('role="alert"');
    expect(renderLanding({})).not.toContain('role="alert"');
  });
});
