import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readQueueLogFile } from './queue-log-file-reader';

const LINES = [
  '1795637069|NONE|support|Agent 101|UNPAUSE|',
  '1795637069|1795637069.106|support|NONE|ENTERQUEUE||79160000001|1|Céline',
  'not a queue_log line',
  '1795637070|1795637069.106|support|Agent 101|CONNECT|1|1795637069.108|1',
  '1795637075|1795637069.106|support|Agent 101|COMPLETEAGENT|1|5|1',
];

describe('readQueueLogFile', () => {
  let dir: string;
  let path: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'queue-log-'));
    path = join(dir, 'queue_log');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads every line, reports the bad one by number, and ends at the file’s size', async () => {
    const text = `${LINES.join('\n')}\n`;
    await writeFile(path, text);
    const read = await readQueueLogFile(path);
    expect(read.records.map((r) => [r.line, r.event])).toEqual([
      [1, 'UNPAUSE'],
      [2, 'ENTERQUEUE'],
      [4, 'CONNECT'],
      [5, 'COMPLETEAGENT'],
    ]);
    expect(read.records[1]?.data[3]).toBe('Céline');
    expect(read.skipped).toEqual([{ line: 3, reason: expect.stringContaining('got 1') }]);
    expect(read).toMatchObject({ lines: 5, endOffset: Buffer.byteLength(text), nextLine: 6, rotated: false });
  });

  it('resumes from the offset and line it returned, in pieces of maxLines, without loss or repeat', async () => {
    await writeFile(path, `${LINES.join('\n')}\n`);
    const seen: (number | undefined)[] = [];
    let startOffset = 0;
    let startLine = 1;
    for (let i = 0; i < 10; i++) {
      const read = await readQueueLogFile(path, { startOffset, startLine, maxLines: 2 });
      seen.push(...read.records.map((r) => r.line), ...read.skipped.map((s) => s.line));
      if (read.lines === 0) break;
      startOffset = read.endOffset;
      startLine = read.nextLine;
    }
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('leaves a line still being written for the next read', async () => {
    await writeFile(path, `${LINES[0]}\n${LINES[1]!.slice(0, 20)}`);
    const first = await readQueueLogFile(path);
    expect(first.records.map((r) => r.line)).toEqual([1]);
    expect(first.skipped).toEqual([]);
    expect(first.endOffset).toBe(Buffer.byteLength(`${LINES[0]}\n`));
    await appendFile(path, `${LINES[1]!.slice(20)}\n`);
    const second = await readQueueLogFile(path, { startOffset: first.endOffset, startLine: first.nextLine });
    expect(second.records.map((r) => [r.line, r.event, r.data[3]])).toEqual([[2, 'ENTERQUEUE', 'Céline']]);
  });

  it('counts CRLF line ends in the offset', async () => {
    const text = `${LINES[0]}\r\n${LINES[1]}\r\n`;
    await writeFile(path, text);
    const read = await readQueueLogFile(path);
    expect(read.records.map((r) => r.event)).toEqual(['UNPAUSE', 'ENTERQUEUE']);
    expect(read.records[0]?.data).toEqual(['']);
    expect(read.endOffset).toBe(Buffer.byteLength(text));
  });

  it('says so when the file is shorter than the offset (rotated), reading nothing', async () => {
    await writeFile(path, `${LINES[0]}\n`);
    const read = await readQueueLogFile(path, { startOffset: 10_000, startLine: 300 });
    expect(read).toEqual({
      records: [],
      skipped: [],
      lines: 0,
      endOffset: 10_000,
      nextLine: 300,
      rotated: true,
    });
  });
});
