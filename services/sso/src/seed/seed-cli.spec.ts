import { formatSeedTable, runSeedCli } from './seed-cli';

describe('seed-cli', () => {
  const capture = () => {
    const out = { logs: [] as string[], errors: [] as string[] };
    return { out, io: { log: (l: string) => out.logs.push(l), error: (l: string) => out.errors.push(l) } };
  };

  it('refuses NODE_ENV=production with a clear message and exit code 1, before touching any database', async () => {
    const { out, io } = capture();
    // DB_HOST 127.0.0.1:1 would fail to connect: refusing must come first.
    const code = await runSeedCli({ NODE_ENV: 'production', DB_USER: 'root', DB_PORT: '1' }, [], io);
    expect(code).toBe(1);
    expect(out.errors.join('\n')).toMatch(/refusing to run with NODE_ENV=production/);
    expect(out.logs).toEqual([]);
  });

  it('refuses unknown arguments and a bad environment, naming them', async () => {
    const a = capture();
    expect(await runSeedCli({ DB_USER: 'root' }, ['--force'], a.io)).toBe(1);
    expect(a.out.errors.join('\n')).toMatch(/--force/);
    const b = capture();
    expect(await runSeedCli({ DB_PORT: 'abc' }, [], b.io)).toBe(1);
    expect(b.out.errors.join('\n')).toMatch(/DB_USER/);
    expect(b.out.errors.join('\n')).toMatch(/DB_PORT/);
  });

  it('prints an aligned table, Cyrillic included', () => {
    const table = formatSeedTable([
      {
        tenant: 'demo',
        kind: 'user',
        id: 'op1@demo',
        name: 'Оператор 1',
        detail: 'operator, ext 101',
        status: 'created',
      },
      {
        tenant: 'acme',
        kind: 'client',
        id: 'acme-integrator',
        name: 'ACME integration',
        detail: 'x',
        status: 'kept',
      },
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^tenant\s+kind\s+id\s+name\s+detail\s+status$/);
    expect(lines).toHaveLength(4);
    const statusColumn = lines[0]!.indexOf('status');
    expect(lines[2]!.indexOf('created')).toBe(statusColumn);
    expect(lines[3]!.indexOf('kept')).toBe(statusColumn);
  });
});
