import { ROLES } from '@okc/contracts';
import { DEV_PASSWORD, developmentDataset } from './dev-seed';

describe('the development data set', () => {
  const dataset = developmentDataset();
  const byId = (id: string) => dataset.find((t) => t.id === id)!;

  it('has the platform tenant (one admin) and the demo and acme tenants', () => {
    expect(dataset.map((t) => [t.id, t.locale])).toEqual([
      ['platform', 'ru'],
      ['demo', 'ru'],
      ['acme', 'en'],
    ]);
    expect(byId('platform').users).toEqual([expect.objectContaining({ login: 'admin', roles: ['admin'] })]);
    expect(byId('platform').integrator).toBeUndefined();
  });

  it('follows SSO_PLATFORM_TENANT', () => {
    expect(developmentDataset('ops')[0]?.id).toBe('ops');
  });

  it.each(['demo', 'acme'])(
    '%s has admin, supervisor, manager and op1…op5 on 101…105 in support and sales',
    (id) => {
      const tenant = byId(id);
      expect(tenant.users.map((u) => [u.login, u.roles.join(',')])).toEqual([
        ['admin', 'admin'],
        ['supervisor', 'supervisor'],
        ['manager', 'manager'],
        ['op1', 'operator'],
        ['op2', 'operator'],
        ['op3', 'operator'],
        ['op4', 'operator'],
        ['op5', 'operator'],
      ]);
      const ops = tenant.users.filter((u) => u.login.startsWith('op'));
      expect(ops.map((u) => u.extension)).toEqual(['101', '102', '103', '104', '105']);
      for (const op of ops) expect(op.queues).toEqual(['support', 'sales']);
      for (const user of tenant.users) for (const role of user.roles) expect(ROLES).toContain(role);
      expect(tenant.integrator).toEqual({
        id: `${id}-integrator`,
        name: expect.any(String),
        secret: `${id}-integrator-secret`,
      });
    },
  );

  it('names demo users in Russian and acme users in English', () => {
    expect(byId('demo').users.map((u) => u.name)).toEqual(
      expect.arrayContaining(['Администратор', 'Оператор 1', 'Оператор 5']),
    );
    expect(byId('acme').users.map((u) => u.name)).toEqual(
      expect.arrayContaining(['Administrator', 'Operator 1']),
    );
    for (const user of byId('acme').users) expect(user.name).toMatch(/^[A-Za-z0-9 ]+$/);
  });

  it('uses the password "demo"', () => {
    expect(DEV_PASSWORD).toBe('demo');
  });
});
