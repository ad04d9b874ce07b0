import { Prng } from './prng';

describe('Prng', () => {
  it('gives the same numbers for the same seed', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    expect(Array.from({ length: 20 }, () => a.next())).toEqual(Array.from({ length: 20 }, () => b.next()));
  });

  it('gives other numbers for another seed', () => {
    const a = new Prng(42);
    const b = new Prng(43);
    expect(Array.from({ length: 5 }, () => a.next())).not.toEqual(Array.from({ length: 5 }, () => b.next()));
  });

  it('derives independent streams by path', () => {
    expect(Prng.derive(1, 'call', 1).next()).toBe(Prng.derive(1, 'call', 1).next());
    expect(Prng.derive(1, 'call', 1).next()).not.toBe(Prng.derive(1, 'call', 2).next());
    expect(Prng.derive(1, 'call', 1).next()).not.toBe(Prng.derive(2, 'call', 1).next());
  });

  it('stays in [0, 1) and its exponential draws have about the mean asked for', () => {
    const prng = new Prng(7);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const u = prng.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += prng.exponential(30);
    }
    expect(sum / 20000).toBeGreaterThan(28.5);
    expect(sum / 20000).toBeLessThan(31.5);
  });

  it('makes version-4 UUIDs', () => {
    expect(new Prng(3).uuid()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
