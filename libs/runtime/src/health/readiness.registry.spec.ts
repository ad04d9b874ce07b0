import { Logger } from '@nestjs/common';
import { ReadinessRegistry } from './readiness.registry';

describe('ReadinessRegistry', () => {
  // State changes are logged; keep the console of this framework-free test quiet.
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('is ready with no checks registered', async () => {
    await expect(new ReadinessRegistry().evaluate()).resolves.toEqual({ status: 'ready', checks: {} });
  });

  it('refuses two checks with the same name', () => {
    const registry = new ReadinessRegistry();
    registry.register({ name: 'db', check: () => Promise.resolve() });
    expect(() => registry.register({ name: 'db', check: () => Promise.resolve() })).toThrow(
      /already registered/,
    );
  });

  it('counts a check that throws synchronously as down', async () => {
    const registry = new ReadinessRegistry();
    registry.register({
      name: 'broken',
      check: () => {
        throw new Error('not configured');
      },
    });
    await expect(registry.evaluate()).resolves.toMatchObject({
      status: 'not_ready',
      checks: { broken: { status: 'down', error: 'not configured' } },
    });
  });

  it('honours a per-check timeout over the default', async () => {
    const registry = new ReadinessRegistry({ timeoutMs: 60_000 });
    registry.register({ name: 'slow', timeoutMs: 20, check: () => new Promise<void>(() => undefined) });
    await expect(registry.evaluate()).resolves.toMatchObject({
      checks: { slow: { status: 'down', error: 'timed out after 20 ms' } },
    });
  });

  it('forgets an unregistered check', async () => {
    const registry = new ReadinessRegistry();
    registry.register({ name: 'redis', check: () => Promise.reject(new Error('down')) });
    registry.unregister('redis');
    expect(registry.names()).toEqual([]);
    await expect(registry.evaluate()).resolves.toEqual({ status: 'ready', checks: {} });
  });

  it('logs a dependency still connecting at start as info, and a later outage as a warning', async () => {
    const logs: string[] = [];
    const warnings: string[] = [];
    const log = jest
      .spyOn(Logger.prototype, 'log')
      .mockImplementation((m: unknown) => void logs.push(String(m)));
    const warn = jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation((m: unknown) => void warnings.push(String(m)));
    try {
      let up = false;
      const registry = new ReadinessRegistry();
      registry.register({
        name: 'db',
        check: () => (up ? Promise.resolve() : Promise.reject(new Error('refused'))),
      });
      await registry.evaluate();
      up = true;
      await registry.evaluate();
      up = false;
      await registry.evaluate();
      expect(logs).toEqual([
        'Readiness check "db" is not up yet: refused',
        'Readiness check "db" is up again',
      ]);
      expect(warnings).toEqual(['Readiness check "db" is down: refused']);
    } finally {
      log.mockRestore();
      warn.mockRestore();
    }
  });
});
