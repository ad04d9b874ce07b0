import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FactSpool } from './fact-spool';

/** Drains a spool the way the writer does: peek, take, commit. */
function drainAll(spool: FactSpool<number>): number[] {
  const out: number[] = [];
  for (;;) {
    const batch = spool.peek(3);
    if (batch.items.length === 0) return out;
    out.push(...batch.items);
    batch.commit();
  }
}

describe('FactSpool', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'spool-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps items in memory up to the limit, then spills to disk, and gives everything back in order', () => {
    const spool = new FactSpool<number>(dir, 5, 1_000_000, 4);
    for (let i = 1; i <= 20; i++) expect(spool.push([i])).toBe(true);
    expect(spool.memoryLength).toBe(5);
    expect(spool.spilled).toBe(15);
    expect(readdirSync(dir).length).toBeGreaterThan(1);
    // While the disk part is not drained, new items queue behind it (order is kept).
    spool.push([21]);
    expect(drainAll(spool)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(spool.isEmpty).toBe(true);
    expect(spool.diskBytesUsed).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps what was peeked but not committed (a failed write is retried)', () => {
    const spool = new FactSpool<number>(dir, 10, 1_000_000);
    spool.push([1, 2, 3, 4]);
    expect(spool.peek(2).items).toEqual([1, 2]);
    expect(spool.peek(2).items).toEqual([1, 2]);
    spool.peek(2).commit();
    expect(spool.peek(10).items).toEqual([3, 4]);
  });

  it('refuses and counts items beyond the disk limit instead of growing', () => {
    const spool = new FactSpool<string>(dir, 1, 64);
    expect(spool.push(['a'])).toBe(true);
    expect(spool.push(['x'.repeat(20)])).toBe(true);
    expect(spool.push(['y'.repeat(60)])).toBe(false);
    expect(spool.dropped).toBe(1);
    expect(spool.diskBytesUsed).toBeLessThanOrEqual(64);
  });

  it('finds the segments an earlier process left, and drains them first', () => {
    const first = new FactSpool<number>(dir, 1, 1_000_000, 2);
    first.push([1]);
    first.push([2, 3]);
    first.push([4]);
    // The process dies: its memory item (1) is lost to this spool (the writer had it), its disk items stay.
    const second = new FactSpool<number>(dir, 10, 1_000_000, 2);
    second.push([5]);
    expect(drainAll(second)).toEqual([2, 3, 4, 5]);
  });
});
