import { isAscii, isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import type { AmiMessage } from './ami-message';

/** What the parser reports and skips; it never throws on input bytes. */
export type AmiParseError =
  | {
      readonly kind: 'frame-too-large';
      /** Bytes of the frame seen when it was rejected (at least maxFrameBytes + 1; the rest is not counted). */
      readonly frameBytes: number;
      readonly maxFrameBytes: number;
    }
  | {
      readonly kind: 'malformed-line';
      /** The line without its line break, cut to 200 bytes. */
      readonly line: string;
    };

export interface AmiParserStats {
  /** Messages delivered to onMessage. */
  readonly messages: number;
  /** Bytes pushed. */
  readonly bytes: number;
  readonly framesTooLarge: number;
  readonly malformedLines: number;
}

export interface AmiParserOptions {
  /** Called synchronously for each complete message; keep it cheap (the read path waits for it). */
  readonly onMessage: (message: AmiMessage) => void;
  /** The first line of a connection, `Asterisk Call Manager/<version>`, when the stream starts with it. */
  readonly onBanner?: (line: string) => void;
  readonly onError?: (error: AmiParseError) => void;
  /** Largest frame accepted, counting its lines and their line breaks; larger ones are skipped. */
  readonly maxFrameBytes?: number;
  /** Used for a value that is not valid UTF-8 (a TextDecoder label). */
  readonly fallbackEncoding?: string;
}

export const DEFAULT_MAX_FRAME_BYTES = 65536;
export const DEFAULT_FALLBACK_ENCODING = 'windows-1251';

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const TAB = 0x09;
const MALFORMED_PREVIEW_BYTES = 200;
const BANNER_PREFIX = Buffer.from('Asterisk Call Manager/', 'latin1');

// Header maps inherit nothing, so `__proto__` or `constructor` from the wire is an ordinary own property and
// an absent key reads undefined. A class with a bare prototype, not Object.create(null): those objects start
// in V8's slow dictionary mode, and Object.create is many times slower inside jest's vm contexts.
class HeaderMap {}
Object.setPrototypeOf(HeaderMap.prototype, null);
Reflect.deleteProperty(HeaderMap.prototype, 'constructor');

// Checked at construction rather than on the first odd caller name.
function fallbackDecoder(encoding: string): TextDecoder {
  try {
    return new TextDecoder(encoding);
  } catch {
    throw new RangeError(`fallbackEncoding ${JSON.stringify(encoding)} is not supported by TextDecoder`);
  }
}

/**
 * Streaming AMI parser: push socket chunks as they arrive, get whole messages back through onMessage.
 *
 * Lines end with `\r\n` or `\n`; a blank line ends a message. Keys are lower-cased; a value is the text after
 * the first colon with leading blanks skipped (as Asterisk's own parser does). Lines without a colon are
 * reported and skipped, the rest of the message is kept. Only the unfinished line is held between pushes,
 * and never more than maxFrameBytes of it: a frame that grows past the limit is dropped and the bytes up to
 * its blank line are scanned, not buffered.
 */
export class AmiParser {
  private readonly onMessage: (message: AmiMessage) => void;
  private readonly onBanner: ((line: string) => void) | undefined;
  private readonly onError: ((error: AmiParseError) => void) | undefined;
  private readonly maxFrameBytes: number;
  private readonly fallback: TextDecoder;
  private readonly keys = new KeyTable();
  private readonly counters = { messages: 0, bytes: 0, framesTooLarge: 0, malformedLines: 0 };

  /** The unfinished last line, copied out of the chunks it came in. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private atStreamStart = true;
  /** Bytes of the current frame's completed lines, line breaks included. */
  private frameBytes = 0;
  private headers: Record<string, string> | null = null;
  private repeated: Record<string, string[]> | null = null;
  /** Dropping an over-limit frame: only the shape of the current line is tracked, to find the blank line. */
  private skipping = false;
  private skipLineBytes = 0;
  private skipLineIsCr = false;

  constructor(options: AmiParserOptions) {
    const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 1) {
      throw new RangeError(`maxFrameBytes must be a positive integer, got ${maxFrameBytes}`);
    }
    this.onMessage = options.onMessage;
    this.onBanner = options.onBanner;
    this.onError = options.onError;
    this.maxFrameBytes = maxFrameBytes;
    this.fallback = fallbackDecoder(options.fallbackEncoding ?? DEFAULT_FALLBACK_ENCODING);
  }

  /** Counters since construction (the same object, updated in place). */
  get stats(): AmiParserStats {
    return this.counters;
  }

  /** Bytes held between pushes (the unfinished line); never more than maxFrameBytes. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /** Forget any partial message and expect a banner again, as on a new connection. Keeps the stats. */
  reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.atStreamStart = true;
    this.endFrame();
    this.skipping = false;
    this.skipLineBytes = 0;
    this.skipLineIsCr = false;
  }

  /**
   * Feed the next bytes of the stream. Callbacks run synchronously from here; if one throws, the exception
   * propagates and the rest of this chunk is lost (the parser itself stays consistent).
   */
  push(chunk: Buffer): void {
    this.counters.bytes += chunk.length;
    const end = chunk.length;
    // One native scan per chunk spares a per-value scan in the common all-ASCII case.
    const ascii = isAscii(chunk);
    let pos = 0;
    while (pos < end) {
      if (this.skipping) {
        pos = this.skipToBlankLine(chunk, pos);
        continue;
      }
      const lf = chunk.indexOf(LF, pos);
      if (lf === -1) {
        this.keepPartialLine(chunk, pos);
        return;
      }
      if (this.pendingBytes === 0) {
        this.line(chunk, pos, lf, ascii);
      } else {
        const contentBytes = this.pendingBytes + lf - pos;
        // A line of 2+ bytes is not blank, so it counts: reject before joining a huge line.
        if (contentBytes >= 2 && this.frameBytes + contentBytes + 1 > this.maxFrameBytes) {
          this.dropPending();
          this.rejectFrame(this.frameBytes + contentBytes + 1);
        } else {
          this.pending.push(chunk.subarray(pos, lf));
          const joined = Buffer.concat(this.pending, contentBytes);
          this.dropPending();
          this.line(joined, 0, contentBytes, false);
        }
      }
      pos = lf + 1;
    }
  }

  private line(buf: Buffer, start: number, lf: number, ascii: boolean): void {
    const stop = lf > start && buf[lf - 1] === CR ? lf - 1 : lf;
    if (stop === start) {
      this.atStreamStart = false;
      if (this.headers !== null) this.emitFrame();
      else this.endFrame(); // stray blank line, or a frame of malformed lines only
      return;
    }
    // Checked before the banner too, so that the outcome never depends on where the chunks were cut.
    const frameBytes = this.frameBytes + (lf - start + 1);
    if (frameBytes > this.maxFrameBytes) {
      this.rejectFrame(frameBytes);
      return;
    }
    if (this.atStreamStart) {
      this.atStreamStart = false;
      if (stop - start >= BANNER_PREFIX.length && this.isBanner(buf, start)) {
        this.onBanner?.(this.decode(buf, start, stop, ascii));
        return;
      }
    }
    this.frameBytes = frameBytes;

    // Keys are short: a bounded scan, unlike indexOf, which would run past the line end when there is no colon.
    let colon = start;
    while (colon < stop && buf[colon] !== COLON) colon++;
    if (colon === stop || colon === start) {
      this.counters.malformedLines++;
      const previewEnd = Math.min(stop, start + MALFORMED_PREVIEW_BYTES);
      this.onError?.({ kind: 'malformed-line', line: this.decode(buf, start, previewEnd, ascii) });
      return;
    }
    const key = this.keys.lookup(buf, start, colon);
    let from = colon + 1;
    while (from < stop && (buf[from] === SPACE || buf[from] === TAB)) from++;
    const value = from === stop ? '' : this.decode(buf, from, stop, ascii);

    let headers = this.headers;
    if (headers === null) {
      headers = new HeaderMap() as Record<string, string>;
      this.headers = headers;
    }
    const first = headers[key];
    if (first === undefined) {
      headers[key] = value;
      return;
    }
    let repeated = this.repeated;
    if (repeated === null) {
      repeated = new HeaderMap() as Record<string, string[]>;
      this.repeated = repeated;
    }
    const all = repeated[key];
    if (all === undefined) repeated[key] = [first, value];
    else all.push(value);
  }

  private decode(buf: Buffer, start: number, stop: number, ascii: boolean): string {
    if (!ascii) {
      let i = start;
      while (i < stop && buf[i]! < 0x80) i++;
      if (i < stop) {
        const bytes = buf.subarray(start, stop);
        return isUtf8(bytes) ? bytes.toString('utf8') : this.fallback.decode(bytes);
      }
    }
    // ASCII: latin1 is the cheapest exact decoding.
    return buf.toString('latin1', start, stop);
  }

  private isBanner(buf: Buffer, start: number): boolean {
    return buf.compare(BANNER_PREFIX, 0, BANNER_PREFIX.length, start, start + BANNER_PREFIX.length) === 0;
  }

  private keepPartialLine(chunk: Buffer, pos: number): void {
    const tail = chunk.length - pos;
    const lineBytes = this.pendingBytes + tail;
    // Rejected as soon as the line is sure to break the limit; a single byte may still be the CR of a blank line.
    if (lineBytes >= 2 && this.frameBytes + lineBytes + 1 > this.maxFrameBytes) {
      this.dropPending();
      this.rejectFrame(this.frameBytes + lineBytes);
      this.skipLineBytes = lineBytes;
      return;
    }
    // A copy, so that a small tail does not keep a whole socket chunk alive.
    this.pending.push(Buffer.from(chunk.subarray(pos)));
    this.pendingBytes = lineBytes;
  }

  /** Scans a dropped frame for its blank line; returns where the next frame starts, or the chunk end. */
  private skipToBlankLine(chunk: Buffer, from: number): number {
    const end = chunk.length;
    let pos = from;
    while (pos < end) {
      const lf = chunk.indexOf(LF, pos);
      if (lf === -1) {
        const tail = end - pos;
        this.skipLineIsCr = this.skipLineBytes === 0 && tail === 1 && chunk[pos] === CR;
        this.skipLineBytes += tail;
        return end;
      }
      const bytes = lf - pos;
      const blank =
        this.skipLineBytes === 0
          ? bytes === 0 || (bytes === 1 && chunk[pos] === CR)
          : this.skipLineIsCr && bytes === 0;
      this.skipLineBytes = 0;
      this.skipLineIsCr = false;
      pos = lf + 1;
      if (blank) {
        this.skipping = false;
        return pos;
      }
    }
    return end;
  }

  private rejectFrame(frameBytes: number): void {
    this.counters.framesTooLarge++;
    this.endFrame();
    this.atStreamStart = false;
    this.skipping = true;
    this.skipLineBytes = 0;
    this.skipLineIsCr = false;
    this.onError?.({ kind: 'frame-too-large', frameBytes, maxFrameBytes: this.maxFrameBytes });
  }

  private emitFrame(): void {
    const message: AmiMessage = { headers: this.headers!, repeated: this.repeated };
    this.endFrame();
    this.counters.messages++;
    this.onMessage(message);
  }

  private endFrame(): void {
    this.headers = null;
    this.repeated = null;
    this.frameBytes = 0;
  }

  private dropPending(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/** Parses a whole recorded connection (banner first, or not); an unterminated last message is left out. */
export function parseAmiTranscript(
  bytes: Buffer,
  options: Omit<AmiParserOptions, 'onMessage' | 'onBanner'> = {},
): { banner: string | null; messages: AmiMessage[] } {
  let banner: string | null = null;
  const messages: AmiMessage[] = [];
  const parser = new AmiParser({
    ...options,
    onMessage: (message) => messages.push(message),
    onBanner: (line) => {
      banner = line;
    },
  });
  parser.push(bytes);
  return { banner, messages };
}

const KEY_SLOTS = 1024; // a power of two; real servers use a few hundred distinct keys
const MAX_CACHED_KEY_BYTES = 64;

/**
 * Lower-cased keys by their raw bytes. Most of the parse time otherwise goes to making a key string and
 * lower-casing it, and a fresh string must be internalized again to serve as a property name. A direct-mapped
 * table of the keys already seen returns the same string without decoding; a collision just overwrites a slot,
 * so garbage keys cannot grow it.
 */
class KeyTable {
  private readonly slotBytes: (Buffer | undefined)[] = new Array<Buffer | undefined>(KEY_SLOTS);
  private readonly slotKeys: string[] = new Array<string>(KEY_SLOTS);

  lookup(buf: Buffer, start: number, end: number): string {
    const length = end - start;
    let hash = length;
    // hash * 31 + byte, by shifts: Math.imul is not inlined inside jest's vm contexts (ten times slower there).
    for (let i = start; i < end; i++) hash = ((hash << 5) - hash + (buf[i]! | 0x20)) | 0;
    const slot = hash & (KEY_SLOTS - 1);
    const bytes = this.slotBytes[slot];
    if (bytes !== undefined && bytes.length === length) {
      let i = 0;
      while (i < length && bytes[i] === buf[start + i]) i++;
      if (i === length) return this.slotKeys[slot]!;
    }
    const key = buf.toString('latin1', start, end).toLowerCase();
    if (length <= MAX_CACHED_KEY_BYTES) {
      this.slotBytes[slot] = Buffer.from(buf.subarray(start, end));
      this.slotKeys[slot] = key;
    }
    return key;
  }
}
