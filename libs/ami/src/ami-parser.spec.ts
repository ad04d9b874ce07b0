import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatAmiMessage, valuesOf, type AmiMessage } from './ami-message';
import { AmiParser, parseAmiTranscript, type AmiParseError, type AmiParserOptions } from './ami-parser';

const FIXTURES = join(__dirname, '../../../fixtures/asterisk-22');
const answered = readFileSync(join(FIXTURES, 'answered.ami'));
const abandoned = readFileSync(join(FIXTURES, 'abandoned.ami'));

interface Parsed {
  banners: string[];
  messages: AmiMessage[];
  errors: AmiParseError[];
  parser: AmiParser;
}

/** Pushes the chunks in order into one parser and records everything it reports. */
function parseChunks(chunks: readonly Buffer[], options: Partial<AmiParserOptions> = {}): Parsed {
  const banners: string[] = [];
  const messages: AmiMessage[] = [];
  const errors: AmiParseError[] = [];
  const parser = new AmiParser({
    ...options,
    onMessage: (m) => messages.push(m),
    onBanner: (line) => banners.push(line),
    onError: (e) => errors.push(e),
  });
  for (const chunk of chunks) parser.push(chunk);
  return { banners, messages, errors, parser };
}

const parse = (text: string | Buffer, options: Partial<AmiParserOptions> = {}): Parsed =>
  parseChunks([typeof text === 'string' ? Buffer.from(text, 'utf8') : text], options);

function chunksOf(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** Plain objects, so that equality checks compare content (and print readably on failure). */
const plain = (messages: readonly AmiMessage[]) =>
  messages.map((m) => ({ headers: { ...m.headers }, repeated: m.repeated && { ...m.repeated } }));

const events = (messages: readonly AmiMessage[], name: string) =>
  messages.filter((m) => m.headers.event === name);

/** Counted on the raw text, independently of the parser. */
function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('AmiParser on the real Asterisk 22 transcripts', () => {
  describe.each([
    ['answered.ami', answered, 178],
    ['abandoned.ami', abandoned, 119],
  ])('%s', (_name, bytes, messageCount) => {
    const text = bytes.toString('latin1');
    const whole = parse(bytes);

    it('reads the banner once and one message per blank-line terminated block', () => {
      expect(whole.banners).toEqual(['Asterisk Call Manager/11.0.0']);
      expect(whole.messages).toHaveLength(messageCount);
      expect(occurrences(text, '\r\n\r\n')).toBe(messageCount);
      expect(whole.errors).toEqual([]);
      expect(whole.parser.stats).toEqual({
        messages: messageCount,
        bytes: bytes.length,
        framesTooLarge: 0,
        malformedLines: 0,
      });
      expect(whole.parser.bufferedBytes).toBe(0);
    });

    it('finds every event the raw text holds, name for name', () => {
      const expected = new Map<string, number>();
      for (const match of text.matchAll(/^Event: ([^\r\n]*)\r$/gm)) {
        expected.set(match[1]!, (expected.get(match[1]!) ?? 0) + 1);
      }
      const actual = new Map<string, number>();
      for (const m of whole.messages) {
        if (m.headers.event !== undefined)
          actual.set(m.headers.event, (actual.get(m.headers.event) ?? 0) + 1);
      }
      expect(actual).toEqual(expected);
      expect(events(whole.messages, 'QueueCallerJoin')).toHaveLength(
        occurrences(text, '\r\nEvent: QueueCallerJoin\r\n'),
      );
      expect(events(whole.messages, 'QueueCallerJoin')).toHaveLength(1);
      const responses = whole.messages.filter((m) => m.headers.response !== undefined);
      expect(responses).toHaveLength(occurrences(text, '\nResponse: '));
    });

    it('keeps every header line of every message (none lost, none invented)', () => {
      const headerLines = text.split('\r\n').filter((line) => line.includes(': ') || line.endsWith(':'));
      const parsedValues = whole.messages.reduce(
        (sum, m) => sum + Object.keys(m.headers).reduce((n, key) => n + valuesOf(m, key).length, 0),
        0,
      );
      expect(parsedValues).toBe(headerLines.length);
    });

    it('gives identical messages when read one byte at a time', () => {
      const split = parseChunks(chunksOf(bytes, 1));
      expect(split.banners).toEqual(whole.banners);
      expect(plain(split.messages)).toEqual(plain(whole.messages));
      expect(split.parser.stats).toEqual(whole.parser.stats);
    });

    it.each([2, 3, 7, 64, 1000, 4096])('gives identical messages in chunks of %i bytes', (size) => {
      const split = parseChunks(chunksOf(bytes, size));
      expect(plain(split.messages)).toEqual(plain(whole.messages));
      expect(split.banners).toEqual(whole.banners);
    });

    it('gives identical messages when cut in two at every byte (each cut checked on the blocks around it)', () => {
      // Block starts: the banner, the first message, and each message after a blank line.
      const starts = [0, text.indexOf('\n') + 1];
      for (let at = text.indexOf('\r\n\r\n'); at !== -1; at = text.indexOf('\r\n\r\n', at + 1)) {
        starts.push(at + 4);
      }
      expect(starts.at(-1)).toBe(bytes.length);
      // One parser, reset between runs: a fresh one per cut would spend the time on warming its key table.
      let got: AmiMessage[] = [];
      const parser = new AmiParser({ onMessage: (m) => got.push(m) });
      const run = (parts: Buffer[]) => {
        got = [];
        parser.reset();
        for (const part of parts) parser.push(part);
        return JSON.stringify(plain(got));
      };
      let cuts = 0;
      for (let block = 0; block + 1 < starts.length; block++) {
        const from = starts[Math.max(0, block - 1)]!;
        const to = starts[Math.min(starts.length - 1, block + 2)]!;
        const window = bytes.subarray(from, to);
        const reference = run([window]);
        expect(reference).toBe(JSON.stringify(plain(parse(window).messages)));
        for (let cut = starts[block]! + 1 - from; cut <= starts[block + 1]! - from; cut++) {
          // Compared as text: a deep toEqual per cut would dominate the run time.
          if (run([window.subarray(0, cut), window.subarray(cut)]) !== reference) {
            throw new Error(`cut at byte ${from + cut} changed the messages`);
          }
          cuts++;
        }
      }
      expect(cuts).toBe(bytes.length);
    });

    it('gives identical messages with \\n line endings and with mixed endings', () => {
      const lf = parse(text.replaceAll('\r\n', '\n'));
      expect(plain(lf.messages)).toEqual(plain(whole.messages));
      expect(lf.banners).toEqual(whole.banners);
      let i = 0;
      const mixed = parse(text.replace(/\r\n/g, () => (i++ % 3 === 0 ? '\n' : '\r\n')));
      expect(plain(mixed.messages)).toEqual(plain(whole.messages));
    });

    it('parseAmiTranscript gives the banner and the same messages', () => {
      const transcript = parseAmiTranscript(bytes);
      expect(transcript.banner).toBe('Asterisk Call Manager/11.0.0');
      expect(plain(transcript.messages)).toEqual(plain(whole.messages));
    });
  });

  it('reads the headers of the answered call as written', () => {
    const { messages } = parse(answered);
    const [connect] = events(messages, 'AgentConnect');
    expect(connect?.headers).toMatchObject({
      queue: 'support',
      membername: 'Agent 101',
      interface: 'Local/101@agents/n',
      holdtime: '1',
      ringtime: '1',
      linkedid: '1795637069.106',
      destlinkedid: '1795637069.106',
      destuniqueid: '1795637069.108',
      channel: 'Local/79160000001@callers-00000035;1',
      accountcode: '',
      destaccountcode: '',
    });
    expect(events(messages, 'AgentComplete')[0]?.headers).toMatchObject({ talktime: '5', reason: 'agent' });
    const output = messages.find((m) => m.headers.actionid === 'rec-3');
    expect(output?.repeated).toEqual({
      output: ['0 active channels', '0 active calls', '86 calls processed'],
    });
    expect(output?.headers.output).toBe('0 active channels');
    expect(messages[0]?.headers).toEqual({ response: 'Success', actionid: 'rec-1', challenge: '188100663' });
    expect(messages.at(-1)?.headers).toEqual({
      response: 'Goodbye',
      actionid: 'rec-38',
      message: 'Thanks for all the fish.',
    });
  });

  it('reads the headers of the abandoned call as written', () => {
    const { messages } = parse(abandoned);
    const [abandon] = events(messages, 'QueueCallerAbandon');
    expect(abandon?.headers).toMatchObject({
      queue: 'support',
      position: '1',
      originalposition: '1',
      holdtime: '8',
      uniqueid: '1795637101.114',
      linkedid: '1795637101.114',
    });
    const pausedForLunch = events(messages, 'QueueMemberPause').filter(
      (m) => m.headers.pausedreason === 'lunch',
    );
    expect(pausedForLunch).toHaveLength(
      occurrences(abandoned.toString('latin1'), '\r\nPausedReason: lunch\r\n'),
    );
    expect(pausedForLunch).toHaveLength(2);
    const unpaused = events(messages, 'QueueMemberPause').find((m) => m.headers.paused === '0');
    expect(unpaused?.headers.pausedreason).toBe('');
    expect(events(messages, 'VarSet').find((m) => m.headers.variable === 'QTIMEOUT')?.headers.value).toBe(
      '60',
    );
  });
});

describe('AmiParser line handling', () => {
  it('reads \\n-only messages', () => {
    const { messages } = parse('Event: Hangup\nChannel: PJSIP/101-0001\nCause: 16\n\n');
    expect(plain(messages)).toEqual([
      { headers: { event: 'Hangup', channel: 'PJSIP/101-0001', cause: '16' }, repeated: null },
    ]);
  });

  it('keeps a CR/LF pair split across two reads as one line break', () => {
    const { messages, parser } = parseChunks([
      Buffer.from('Event: A\r'),
      Buffer.from('\nX: 1\r\n\r'),
      Buffer.from('\n'),
    ]);
    expect(plain(messages)).toEqual([{ headers: { event: 'A', x: '1' }, repeated: null }]);
    expect(parser.stats.malformedLines).toBe(0);
  });

  it('collects repeated keys in order, whatever their case, and keeps the first in headers', () => {
    const { messages } = parse(
      'Action: Originate\r\nVariable: A=1\r\nChannel: Local/1@x\r\nVARIABLE: B=2\r\nvariable: C=3\r\n\r\n',
    );
    const [m] = messages;
    expect(m?.headers.variable).toBe('A=1');
    expect(m?.repeated).toEqual({ variable: ['A=1', 'B=2', 'C=3'] });
    expect(valuesOf(m!, 'variable')).toEqual(['A=1', 'B=2', 'C=3']);
    expect(valuesOf(m!, 'channel')).toEqual(['Local/1@x']);
    expect(valuesOf(m!, 'absent')).toEqual([]);
  });

  it('reads empty values with and without a trailing space', () => {
    const { messages } = parse('Event: QueueMemberPause\r\nPausedReason:\r\nReason: \r\nTabbed:\t\r\n\r\n');
    expect(messages[0]?.headers).toEqual({
      event: 'QueueMemberPause',
      pausedreason: '',
      reason: '',
      tabbed: '',
    });
  });

  it('splits at the first colon only and skips the blanks after it', () => {
    const { messages } = parse(
      'Response: Error\r\nMessage: Originate failed: no such channel: PJSIP/9\r\nTight:value\r\nWide:   v  \r\n\r\n',
    );
    expect(messages[0]?.headers).toEqual({
      response: 'Error',
      message: 'Originate failed: no such channel: PJSIP/9',
      tight: 'value',
      wide: 'v  ',
    });
  });

  it('lower-cases keys in any case', () => {
    const { messages } = parse('EVENT: X\r\nlinkedid: 1\r\nDestLinkedID: 2\r\n\r\n');
    expect(Object.keys(messages[0]!.headers)).toEqual(['event', 'linkedid', 'destlinkedid']);
  });

  it('skips a line without a colon, reports and counts it, and keeps the rest of the message', () => {
    const { messages, errors, parser } = parse(
      'Event: Newexten\r\nthis line has no colon\r\n: no key\r\nApplication: Queue\r\n\r\n',
    );
    expect(messages[0]?.headers).toEqual({ event: 'Newexten', application: 'Queue' });
    expect(errors).toEqual([
      { kind: 'malformed-line', line: 'this line has no colon' },
      { kind: 'malformed-line', line: ': no key' },
    ]);
    expect(parser.stats.malformedLines).toBe(2);
  });

  it('does not deliver a block made only of malformed lines', () => {
    const { messages, parser } = parse('garbage\r\nmore garbage\r\n\r\nEvent: Ok\r\n\r\n');
    expect(messages.map((m) => m.headers.event)).toEqual(['Ok']);
    expect(parser.stats).toMatchObject({ messages: 1, malformedLines: 2 });
  });

  it('cuts the preview of a long malformed line', () => {
    const { errors } = parse(`${'x'.repeat(5000)}\r\n\r\n`);
    expect(errors).toEqual([{ kind: 'malformed-line', line: 'x'.repeat(200) }]);
  });

  it('ignores stray blank lines between messages', () => {
    const { messages, parser } = parse('\r\n\r\nEvent: A\r\n\r\n\r\n\n\r\n\nEvent: B\r\n\r\n\r\n');
    expect(messages.map((m) => m.headers.event)).toEqual(['A', 'B']);
    expect(parser.stats.malformedLines).toBe(0);
  });

  it('keeps keys such as __proto__ and constructor as ordinary headers', () => {
    const { messages } = parse(
      'Event: X\r\n__proto__: polluted\r\n__proto__: twice\r\nconstructor: c\r\n\r\n',
    );
    const m = messages[0]!;
    expect(m.headers.__proto__).toBe('polluted');
    expect(m.headers.constructor).toBe('c');
    expect(valuesOf(m, '__proto__')).toEqual(['polluted', 'twice']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const other = parse('Event: Y\r\n\r\n').messages[0]!;
    expect(other.headers.constructor).toBeUndefined();
    expect(valuesOf(other, 'constructor')).toEqual([]);
  });

  it('holds nothing between messages and only the unfinished line otherwise', () => {
    const { parser } = parseChunks([Buffer.from('Event: A\r\nChannel: PJSIP/1')]);
    expect(parser.bufferedBytes).toBe('Channel: PJSIP/1'.length);
    parser.push(Buffer.from('\r\n\r\n'));
    expect(parser.bufferedBytes).toBe(0);
  });

  it('reads what formatAmiMessage writes', () => {
    const bytes = formatAmiMessage({
      Action: 'QueuePause',
      ActionID: 'a-1',
      Interface: 'Local/101@agents/n',
      Paused: true,
      Reason: 'lunch: long',
      Variable: ['A=1', 'B=2'],
      Skipped: undefined,
      Penalty: 0,
    });
    const { messages } = parse(bytes);
    expect(plain(messages)).toEqual([
      {
        headers: {
          action: 'QueuePause',
          actionid: 'a-1',
          interface: 'Local/101@agents/n',
          paused: 'true',
          reason: 'lunch: long',
          variable: 'A=1',
          penalty: '0',
        },
        repeated: { variable: ['A=1', 'B=2'] },
      },
    ]);
  });
});

describe('AmiParser text decoding', () => {
  const ivanCp1251 = Buffer.from([0xc8, 0xe2, 0xe0, 0xed]);
  const frame = (...parts: (string | Buffer)[]) =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));

  it('decodes a cp1251 caller name (not valid UTF-8) as Cyrillic', () => {
    const { messages } = parse(frame('Event: Newchannel\r\nCallerIDName: ', ivanCp1251, '\r\n\r\n'));
    expect(messages[0]?.headers.calleridname).toBe('Иван');
  });

  it('keeps valid UTF-8 as UTF-8, value by value in the same message', () => {
    const { messages } = parse(
      frame('Event: X\r\nA: Пётр Ёлкин\r\nB: ', ivanCp1251, ' Петров\r\nC: ', ivanCp1251, '\r\n\r\n'),
    );
    // B mixes cp1251 bytes with UTF-8 ones: as a whole it is not UTF-8, so all of it goes through cp1251.
    expect(messages[0]?.headers.a).toBe('Пётр Ёлкин');
    const mojibake = new TextDecoder('windows-1251').decode(Buffer.from(' Петров', 'utf8'));
    expect(messages[0]?.headers.b).toBe(`Иван${mojibake}`);
    expect(messages[0]?.headers.c).toBe('Иван');
  });

  it('decodes UTF-8 cut inside a character at a chunk boundary', () => {
    const bytes = frame('Event: X\r\nCallerIDName: Иван Петров\r\n\r\n');
    const cyrillicStart = bytes.indexOf(Buffer.from('Иван', 'utf8'));
    for (let cut = cyrillicStart; cut < cyrillicStart + 8; cut++) {
      const { messages } = parseChunks([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(messages[0]?.headers.calleridname).toBe('Иван Петров');
    }
    expect(parseChunks(chunksOf(bytes, 1)).messages[0]?.headers.calleridname).toBe('Иван Петров');
  });

  it('uses the configured fallback encoding', () => {
    // 'Иван' in KOI8-R.
    const koi8 = Buffer.from([0xe9, 0xd7, 0xc1, 0xce]);
    const { messages } = parse(frame('Event: X\r\nName: ', koi8, '\r\n\r\n'), { fallbackEncoding: 'koi8-r' });
    expect(messages[0]?.headers.name).toBe('Иван');
  });

  it('survives bytes that no encoding likes, in keys and values, without losing the next message', () => {
    const junk = Buffer.from([0xff, 0xfe, 0x80, 0x98, 0x00, 0xc0]);
    const { messages, parser } = parse(
      frame('Event: X\r\n', junk, ': ', junk, '\r\nV: ', junk, '\r\n\r\nEvent: Next\r\n\r\n'),
    );
    expect(messages).toHaveLength(2);
    expect(typeof messages[0]?.headers.v).toBe('string');
    expect(messages[0]?.headers.v).toHaveLength(junk.length);
    expect(messages[1]?.headers.event).toBe('Next');
    expect(parser.stats.malformedLines).toBe(0);
  });

  it('refuses an unknown fallback encoding and a bad limit at construction', () => {
    expect(() => new AmiParser({ onMessage: () => undefined, fallbackEncoding: 'no-such-charset' })).toThrow(
      RangeError,
    );
    expect(() => new AmiParser({ onMessage: () => undefined, maxFrameBytes: 0 })).toThrow(RangeError);
    expect(() => new AmiParser({ onMessage: () => undefined, maxFrameBytes: 1.5 })).toThrow(RangeError);
  });
});

describe('AmiParser frame size limit', () => {
  const small = (event: string) => `Event: ${event}\r\n\r\n`;

  it('accepts a frame of exactly maxFrameBytes and rejects one byte more', () => {
    const exact = 'Event: A\r\nV: 1234\r\n'; // 19 bytes of lines, the blank line is not counted
    expect(parse(`${exact}\r\n`, { maxFrameBytes: exact.length }).messages).toHaveLength(1);
    const over = parse(`${exact}\r\n${small('B')}`, { maxFrameBytes: exact.length - 1 });
    expect(over.messages.map((m) => m.headers.event)).toEqual(['B']);
    expect(over.errors).toEqual([{ kind: 'frame-too-large', frameBytes: 19, maxFrameBytes: 18 }]);
    expect(over.parser.stats.framesTooLarge).toBe(1);
  });

  it('rejects and counts a frame with a huge value, and still parses the next message', () => {
    const huge = `Event: Big\r\nValue: ${'v'.repeat(200_000)}\r\nMore: x\r\n\r\n`;
    const whole = parse(`${small('Before')}${huge}${small('After')}`, { maxFrameBytes: 1024 });
    expect(whole.messages.map((m) => m.headers.event)).toEqual(['Before', 'After']);
    expect(whole.parser.stats).toMatchObject({ messages: 2, framesTooLarge: 1, malformedLines: 0 });
    expect(whole.errors).toEqual([expect.objectContaining({ kind: 'frame-too-large', maxFrameBytes: 1024 })]);
  });

  it('skips an over-limit frame arriving in small reads without buffering it', () => {
    const bytes = Buffer.from(
      `Event: Big\r\nValue: ${'v'.repeat(50_000)}\n${'Line: y\n'.repeat(2000)}\r\n${small('After')}`,
    );
    let maxBuffered = 0;
    const messages: AmiMessage[] = [];
    const parser = new AmiParser({ onMessage: (m) => messages.push(m), maxFrameBytes: 4096 });
    for (const chunk of chunksOf(bytes, 1000)) {
      parser.push(chunk);
      maxBuffered = Math.max(maxBuffered, parser.bufferedBytes);
    }
    expect(maxBuffered).toBeLessThanOrEqual(4096);
    expect(maxBuffered).toBeGreaterThan(0);
    expect(messages.map((m) => m.headers.event)).toEqual(['After']);
    expect(parser.stats.framesTooLarge).toBe(1);
  });

  it('rejects a frame of many normal lines the same way, whatever the chunking', () => {
    const many = `Event: Many\r\n${'Variable: x=1\r\n'.repeat(100)}\r\n`;
    const bytes = Buffer.from(`${many}${small('After')}${many}`);
    for (const size of [1, 2, 5, 17, 100, bytes.length]) {
      const { messages, parser } = parseChunks(chunksOf(bytes, size), { maxFrameBytes: 512 });
      expect(messages.map((m) => m.headers.event)).toEqual(['After']);
      expect(parser.stats.framesTooLarge).toBe(2);
      expect(parser.bufferedBytes).toBe(0);
    }
  });

  it('finds the end of a skipped frame when its blank line is split between reads', () => {
    const bytes = Buffer.from(`Event: Big\r\nValue: ${'v'.repeat(600)}\r\n\r\nEvent: After\r\n\r\n`);
    const end = bytes.indexOf('\r\n\r\nEvent: After');
    for (let cut = end; cut <= end + 4; cut++) {
      const { messages } = parseChunks([bytes.subarray(0, cut), bytes.subarray(cut)], { maxFrameBytes: 100 });
      expect(messages.map((m) => m.headers.event)).toEqual(['After']);
    }
  });
});

describe('AmiParser banner and stream start', () => {
  it('reports the banner once, split or not, and never as a message', () => {
    const bytes = Buffer.from('Asterisk Call Manager/11.0.0\r\nResponse: Success\r\nPing: Pong\r\n\r\n');
    for (const size of [1, 5, 29, 30, bytes.length]) {
      const { banners, messages } = parseChunks(chunksOf(bytes, size));
      expect(banners).toEqual(['Asterisk Call Manager/11.0.0']);
      expect(plain(messages)).toEqual([{ headers: { response: 'Success', ping: 'Pong' }, repeated: null }]);
    }
  });

  it('accepts a \\n-terminated banner', () => {
    const { banners, messages } = parse('Asterisk Call Manager/2.10.6\nEvent: FullyBooted\n\n');
    expect(banners).toEqual(['Asterisk Call Manager/2.10.6']);
    expect(messages).toHaveLength(1);
  });

  it('parses without a banner when started at a message boundary', () => {
    const { banners, messages } = parse(abandoned.subarray(abandoned.indexOf('Event: FullyBooted')));
    expect(banners).toEqual([]);
    expect(messages[0]?.headers.event).toBe('FullyBooted');
    expect(messages).toHaveLength(117);
  });

  it('parses the following messages when started inside a message', () => {
    const from = answered.indexOf('Event: AgentConnect') + 100;
    const { banners, messages } = parse(answered.subarray(from));
    expect(banners).toEqual([]);
    // The tail of the cut message comes out as a message without Event: consumers must check for it.
    expect(messages[0]?.headers.event).toBeUndefined();
    expect(messages[1]?.headers.event).toBe('DeviceStateChange');
    expect(messages.at(-1)?.headers.response).toBe('Goodbye');
  });

  it('treats a banner-looking line later in the stream as a malformed line', () => {
    const { banners, errors } = parse('Event: A\r\n\r\nAsterisk Call Manager/11.0.0\r\n\r\n');
    expect(banners).toEqual([]);
    expect(errors).toEqual([{ kind: 'malformed-line', line: 'Asterisk Call Manager/11.0.0' }]);
  });

  it('reset() drops a partial message and expects a banner again', () => {
    const { parser, messages, banners } = parseChunks([Buffer.from('Event: Partial\r\nChannel: x')]);
    parser.reset();
    expect(parser.bufferedBytes).toBe(0);
    parser.push(Buffer.from('Asterisk Call Manager/11.0.0\r\nEvent: Fresh\r\n\r\n'));
    expect(banners).toEqual(['Asterisk Call Manager/11.0.0']);
    expect(plain(messages)).toEqual([{ headers: { event: 'Fresh' }, repeated: null }]);
  });

  it('leaves an unterminated last message out of a transcript', () => {
    const transcript = parseAmiTranscript(Buffer.from('Event: A\r\n\r\nEvent: B\r\nChannel: x\r\n'));
    expect(transcript.banner).toBeNull();
    expect(transcript.messages.map((m) => m.headers.event)).toEqual(['A']);
  });
});
