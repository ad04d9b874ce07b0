import { SPA_NAMES, canOpenSpa, hasAnyRole, spaPath, spasOpenTo } from './spa-access';

describe('SPA access by role', () => {
  it.each([
    ['operator', ['operator']],
    ['supervisor', ['operator', 'supervisor']],
    ['manager', ['manager']],
    ['admin', ['operator', 'supervisor', 'manager']],
    ['integrator', []],
  ])('%s opens %j', (role, spas) => {
    expect(spasOpenTo([role])).toEqual(spas);
  });

  it('a user with several roles opens every SPA any of them opens', () => {
    expect(spasOpenTo(['operator', 'manager'])).toEqual(['operator', 'manager']);
  });

  it('no roles, or only unknown ones, open nothing', () => {
    expect(spasOpenTo([])).toEqual([]);
    expect(spasOpenTo(['root', 'Operator'])).toEqual([]);
  });

  it('the operator SPA admits supervisors, the supervisor SPA does not admit operators', () => {
    expect(canOpenSpa(['supervisor'], 'operator')).toBe(true);
    expect(canOpenSpa(['operator'], 'supervisor')).toBe(false);
    expect(canOpenSpa(['manager'], 'operator')).toBe(false);
  });

  it('hasAnyRole matches exact role names only', () => {
    expect(hasAnyRole(['admin'], ['manager', 'admin'])).toBe(true);
    expect(hasAnyRole(['admins'], ['admin'])).toBe(false);
  });

  it('each SPA is served under its own path', () => {
    expect(SPA_NAMES.map(spaPath)).toEqual(['/operator/', '/supervisor/', '/manager/']);
  });
});
