import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AmiMessage } from './ami-message';
import { AmiParser } from './ami-parser';

// Deterministic fuzzing: a seeded PRNG builds a stream of real fixture blocks, mutated blocks, garbage and
// well-formed marker frames, then feeds it to the parser in random chunks. A failure reproduces with its seed.

const FIXTURES = join(__dirname, '../../../fixtures/asterisk-22');

/** xorshift32: small and fast (no Math.imul, which is slow inside jest's vm contexts). */
function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/** The blocks of both transcripts, each with its terminating blank line, banners left out. */
function fixtureBlocks(): Buffer[] {
  const blocks: Buffer[] = [];
  for (const name of ['answered.ami', 'abandoned.ami']) {
    const bytes = readFileSync(join(FIXTURES, name));
    let from = bytes.indexOf('\n') + 1;
    for (let at = bytes.indexOf('\r\n\r\n', from); at !== -1; at = bytes.indexOf('\r\n\r\n', from)) {
      blocks.push(bytes.subarray(from, at + 4));
      from = at + 4;
    }
  }
  return blocks;
}

const BLOCKS = fixtureBlocks();
const CP1251_IVAN = Buffer.from([0xc8, 0xe2, 0xe0, 0xed]);
// Bytes that matter to the parser, over-represented in garbage.
const INTERESTING = [0x0d, 0x0a, 0x3a, 0x20, 0x09, 0x00, 0x80, 0xc8, 0xd0, 0xff];

interface Stream {
  bytes: Buffer;
  markers: { id: string; expected: Record<string, string>; variables: string[] }[];
  /** Over-limit frames isolated by blank lines on both sides: each must be counted. */
  isolatedTooLarge: number;
}

function buildStream(seed: number, frames: number, maxFrameBytes: number): Stream {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const parts: Buffer[] = [Buffer.from('Asterisk Call Manager/11.0.0\r\n')];
  const markers: Stream['markers'] = [];
  let isolatedTooLarge = 0;

  const garbage = (length: number) => {
    const out = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) out[i] = rnd() < 0.3 ? pick(INTERESTING) : int(256);
    return out;
  };
  const insertAt = (block: Buffer, at: number, insert: Buffer) =>
    Buffer.concat([block.subarray(0, at), insert, block.subarray(at)]);

  const mutations: ((block: Buffer) => Buffer)[] = [
    (block) => block.subarray(0, int(block.length)), // truncated: runs into the next frame
    (block) => Buffer.concat([block, block]),
    (block) => {
      const lines = block.toString('latin1').split('\r\n');
      const at = int(lines.length);
      lines.splice(at, 0, lines[at] ?? '');
      return Buffer.from(lines.join('\r\n'), 'latin1');
    },
    (block) => {
      const out = Buffer.from(block);
      for (let flips = 1 + int(6); flips > 0; flips--) out[int(out.length)] = int(256);
      return out;
    },
    (block) => {
      let out = block;
      for (let n = 1 + int(4); n > 0; n--)
        out = insertAt(out, int(out.length), Buffer.from(pick(['\r', '\n', '\r\n'])));
      return out;
    },
    (block) => Buffer.from(block.toString('latin1').replaceAll('\r\n', '\n'), 'latin1'),
    (block) => insertAt(block, int(block.length), garbage(1 + int(64))),
    () => garbage(int(400)),
    () => {
      // A random frame: random keys and values, cp1251 and UTF-8 bytes, empty values, no colon at all.
      const lines: Buffer[] = [];
      for (let n = int(30); n > 0; n--) {
        const key = Buffer.from(
          pick(['Event', 'CallerIDName', 'Variable', 'X-' + String(int(1000)), '', 'a:b']),
        );
        const value = pick([Buffer.from(''), CP1251_IVAN, Buffer.from('Пётр: 1'), garbage(int(40))]);
        lines.push(rnd() < 0.1 ? value : Buffer.concat([key, Buffer.from(': '), value]), Buffer.from('\r\n'));
      }
      lines.push(Buffer.from('\r\n'));
      return Buffer.concat(lines);
    },
  ];

  for (let i = 0; i < frames; i++) {
    const roll = rnd();
    if (roll < 0.04) {
      // A well-formed marker after a guaranteed blank line: it must come out whatever preceded it.
      const id = `fuzz-${i}`;
      const variables = [`N=${i}`, `SEED=${seed}`];
      const expected = {
        event: 'FuzzMarker',
        actionid: id,
        variable: variables[0]!,
        calleridname: 'Иван',
        reason: '',
        message: 'a: b',
      };
      markers.push({ id, expected, variables });
      parts.push(
        Buffer.from(
          `\r\n\r\nEvent: FuzzMarker\r\nActionID: ${id}\r\nVariable: ${variables[0]}\r\nCallerIDName: `,
        ),
        CP1251_IVAN,
        Buffer.from(`\r\nReason:\r\nVARIABLE: ${variables[1]}\r\nMessage: a: b\r\n\r\n`),
      );
    } else if (roll < 0.042) {
      // Over the limit by a huge value, or by many ordinary lines.
      const huge =
        rnd() < 0.5
          ? `Event: Huge\r\nValue: ${'v'.repeat(maxFrameBytes + int(2 * maxFrameBytes))}\r\n`
          : `Event: Long\r\n${'Variable: x=1\r\n'.repeat(Math.ceil(maxFrameBytes / 15) + int(100))}`;
      parts.push(Buffer.from(`\r\n\r\n${huge}\r\n`));
      isolatedTooLarge++;
    } else if (roll < 0.5) {
      parts.push(pick(BLOCKS));
    } else {
      parts.push(pick(mutations)(pick(BLOCKS)));
    }
  }
  return { bytes: Buffer.concat(parts), markers, isolatedTooLarge };
}

interface Outcome {
  digest: string;
  messages: number;
  markers: AmiMessage[];
  errors: number;
  stats: AmiParser['stats'];
  maxBuffered: number;
}

/** Feeds the stream in chunks whose sizes come from `nextSize`, and summarises what came out. */
function run(bytes: Buffer, maxFrameBytes: number, nextSize: () => number): Outcome {
  const hash = createHash('sha256');
  const markers: AmiMessage[] = [];
  let messages = 0;
  let errors = 0;
  let maxBuffered = 0;
  const parser = new AmiParser({
    maxFrameBytes,
    onMessage: (m) => {
      messages++;
      hash.update(JSON.stringify([m.headers, m.repeated]));
      if (m.headers.event === 'FuzzMarker') markers.push(m);
    },
    onError: () => errors++,
  });
  for (let pos = 0; pos < bytes.length;) {
    const size = Math.max(1, nextSize());
    parser.push(bytes.subarray(pos, pos + size));
    pos += size;
    maxBuffered = Math.max(maxBuffered, parser.bufferedBytes);
  }
  return { digest: hash.digest('hex'), messages, markers, errors, stats: { ...parser.stats }, maxBuffered };
}

describe.each([
  // [seed, frames, maxFrameBytes, largest chunk]
  [20261125, 100_000, 65536, 65536],
  [7, 20_000, 300, 700],
])('AmiParser fuzz (seed %i, %i frames, limit %i)', (seed, frames, maxFrameBytes, largestChunk) => {
  const stream = buildStream(seed, frames, maxFrameBytes);
  const rnd = prng(seed ^ 0x5eed);
  // Mostly tiny or mid-sized reads, sometimes large ones: tiny reads cut lines and CR/LF pairs everywhere.
  const randomSize = () => {
    const r = rnd();
    if (r < 0.3) return 1 + Math.floor(rnd() * 16);
    if (r < 0.8) return 1 + Math.floor(rnd() * Math.min(2048, largestChunk));
    return 1 + Math.floor(rnd() * largestChunk);
  };
  const chunked = run(stream.bytes, maxFrameBytes, randomSize);

  it('recovers every well-formed frame that follows a blank line, exactly', () => {
    expect(stream.markers.length).toBeGreaterThan(frames / 40);
    expect(chunked.markers.map((m) => m.headers.actionid)).toEqual(stream.markers.map((m) => m.id));
    chunked.markers.forEach((m, i) => {
      expect(m.headers).toEqual(stream.markers[i]!.expected);
      expect(m.repeated).toEqual({ variable: stream.markers[i]!.variables });
    });
  });

  it('keeps its buffer within maxFrameBytes on every read', () => {
    expect(chunked.maxBuffered).toBeLessThanOrEqual(maxFrameBytes);
    expect(chunked.maxBuffered).toBeGreaterThan(0);
  });

  it('keeps its counters consistent with what it reported', () => {
    expect(chunked.stats.bytes).toBe(stream.bytes.length);
    expect(chunked.stats.messages).toBe(chunked.messages);
    expect(chunked.errors).toBe(chunked.stats.framesTooLarge + chunked.stats.malformedLines);
    expect(chunked.stats.framesTooLarge).toBeGreaterThanOrEqual(stream.isolatedTooLarge);
    expect(stream.isolatedTooLarge).toBeGreaterThan(0);
    expect(chunked.stats.malformedLines).toBeGreaterThan(0);
    // Most of the stream is intact fixture blocks.
    expect(chunked.messages).toBeGreaterThan(maxFrameBytes > 1000 ? frames / 2 : frames / 10);
  });

  it('gives the same messages and counts whatever the chunking', () => {
    const whole = run(stream.bytes, maxFrameBytes, () => stream.bytes.length);
    expect(whole.digest).toBe(chunked.digest);
    expect(whole.stats).toEqual(chunked.stats);
    const bytewise = run(stream.bytes.subarray(0, 200_000), maxFrameBytes, () => 1);
    const prefix = run(stream.bytes.subarray(0, 200_000), maxFrameBytes, () => 200_000);
    expect(bytewise.digest).toBe(prefix.digest);
    expect(bytewise.stats).toEqual(prefix.stats);
  });
});
