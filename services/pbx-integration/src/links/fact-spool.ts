import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * A FIFO of JSON items that holds the newest in memory up to `memoryLimit`, then spills the rest to disk in
 * segment files, so the AMI read path never waits for the database and memory stays bounded. Order is kept:
 * once anything is on disk, new items go to disk too until the disk part is drained. The disk part is bounded
 * by `diskLimitBytes`; beyond it items are refused (counted), which queue_log backfill can repair.
 */
export class FactSpool<T> {
  private readonly memory: T[] = [];
  private segments: string[] = [];
  private writing: { file: string; count: number } | null = null;
  private diskBytes = 0;
  private sequence = 0;
  /** Items refused because memory and disk were both full. */
  dropped = 0;
  /** Items that went to disk, ever. */
  spilled = 0;

  constructor(
    private readonly dir: string,
    private readonly memoryLimit: number,
    private readonly diskLimitBytes: number,
    private readonly segmentItems = 5_000,
  ) {
    mkdirSync(dir, { recursive: true });
    // Segments left by an earlier process are older than anything new: drain them first.
    this.segments = readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl'))
      .sort()
      .map((f) => path.join(dir, f));
    for (const file of this.segments) this.diskBytes += statSync(file).size;
    this.sequence = this.segments.length;
  }

  get memoryLength(): number {
    return this.memory.length;
  }

  get diskBytesUsed(): number {
    return this.diskBytes;
  }

  get isEmpty(): boolean {
    return this.memory.length === 0 && this.segments.length === 0 && this.writing === null;
  }

  /** Adds items; false when some were refused (both limits reached). Synchronous and cheap in memory. */
  push(items: readonly T[]): boolean {
    if (
      this.segments.length === 0 &&
      this.writing === null &&
      this.memory.length + items.length <= this.memoryLimit
    ) {
      for (const item of items) this.memory.push(item);
      return true;
    }
    const lines = items.map((item) => `${JSON.stringify(item)}\n`).join('');
    if (this.diskBytes + lines.length > this.diskLimitBytes) {
      this.dropped += items.length;
      return false;
    }
    if (!this.writing || this.writing.count >= this.segmentItems) {
      if (this.writing) this.segments.push(this.writing.file);
      this.writing = {
        file: path.join(this.dir, `${String(++this.sequence).padStart(12, '0')}.jsonl`),
        count: 0,
      };
    }
    appendFileSync(this.writing.file, lines);
    this.writing.count += items.length;
    this.diskBytes += Buffer.byteLength(lines);
    this.spilled += items.length;
    return true;
  }

  /**
   * The oldest items, up to `max`, without removing them; `commit()` removes them once they are safely
   * written elsewhere (a crash before that re-reads them: at least once, deduplicated downstream).
   */
  peek(max: number): { items: T[]; commit: () => void } {
    if (this.memory.length > 0) {
      const items = this.memory.slice(0, max);
      return { items, commit: () => void this.memory.splice(0, items.length) };
    }
    if (this.segments.length === 0 && this.writing) {
      this.segments.push(this.writing.file);
      this.writing = null;
    }
    const file = this.segments[0];
    if (!file) return { items: [], commit: () => undefined };
    const items = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as T);
    return {
      items,
      commit: () => {
        this.diskBytes -= statSync(file).size;
        rmSync(file, { force: true });
        this.segments.shift();
      },
    };
  }
}
