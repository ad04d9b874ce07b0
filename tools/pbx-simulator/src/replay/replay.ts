import { AmiParser, type AmiMessage } from '@okc/ami';
import { formatTimestamp } from '../render/ami-event';

/** One message of a recorded connection, with its bytes as recorded. */
export interface TranscriptFrame {
  readonly raw: Buffer;
  readonly message: AmiMessage;
  /** Its `Timestamp:` in microseconds, when it has one. */
  readonly micros: number | null;
}

const LF = 0x0a;

/**
 * Cuts a transcript into its messages, keeping each message's bytes. The AmiParser does the parsing; it is fed
 * one line at a time so that where each message ends in the bytes is known.
 */
export function splitTranscript(bytes: Buffer): TranscriptFrame[] {
  const frames: TranscriptFrame[] = [];
  let completed: AmiMessage | null = null;
  let bannerSeen = false;
  const parser = new AmiParser({
    onMessage: (message) => {
      completed = message;
    },
    onBanner: () => {
      bannerSeen = true;
    },
  });
  let start = 0;
  let pos = 0;
  while (pos < bytes.length) {
    const lf = bytes.indexOf(LF, pos);
    const end = lf === -1 ? bytes.length : lf + 1;
    parser.push(bytes.subarray(pos, end));
    pos = end;
    if (bannerSeen) {
      bannerSeen = false;
      start = pos;
    }
    const message = completed as AmiMessage | null;
    if (message !== null) {
      completed = null;
      let from = start;
      while (from < pos && (bytes[from] === 0x0d || bytes[from] === LF)) from++;
      const timestamp = message.headers['timestamp'];
      frames.push({
        raw: bytes.subarray(from, pos),
        message,
        micros: timestamp && /^\d+(\.\d+)?$/.test(timestamp) ? Math.round(Number(timestamp) * 1e6) : null,
      });
      start = pos;
    }
  }
  return frames;
}

/** Events worth replaying: not the recorder's responses, not its own login events. */
export function replayableEvents(frames: readonly TranscriptFrame[]): TranscriptFrame[] {
  return frames.filter((f) => {
    const event = f.message.headers['event'];
    return event !== undefined && event !== 'FullyBooted' && event !== 'SuccessfulAuth';
  });
}

export interface ReplayOptions {
  /** 1 = the recorded pace; 10 = ten times faster; 0 = as fast as possible. */
  readonly speed: number;
  readonly loop: boolean;
}

/**
 * Plays recorded events to the connected clients. `Timestamp:` headers are moved to the time of playing,
 * keeping their spacing (divided by speed when re-timed); everything else is sent as recorded.
 */
export class Replayer {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private resolveDone: () => void = () => {};
  readonly done: Promise<void> = new Promise((resolve) => (this.resolveDone = resolve));
  sent = 0;

  constructor(
    private readonly frames: readonly TranscriptFrame[],
    private readonly send: (bytes: Buffer) => void,
    private readonly options: ReplayOptions,
    private readonly nowMicros: () => number = () => Date.now() * 1000,
  ) {}

  start(): void {
    this.playFrom(0, this.nowMicros());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.resolveDone();
  }

  private playFrom(index: number, base: number): void {
    const { frames, options } = this;
    const first = frames.find((f) => f.micros !== null)?.micros ?? 0;
    const stamp = (frame: TranscriptFrame) => {
      if (frame.micros === null) return frame.raw;
      const offset = options.speed > 0 ? (frame.micros - first) / options.speed : frame.micros - first;
      return retime(frame.raw, formatTimestamp(Math.round(base + offset)));
    };
    if (options.speed <= 0) {
      for (const frame of frames) this.emit(stamp(frame));
      return this.finished();
    }
    const step = (i: number) => {
      if (this.stopped) return;
      if (i >= frames.length) return this.finished();
      const frame = frames[i]!;
      const dueAt = frame.micros === null ? 0 : (frame.micros - first) / options.speed;
      const wait = Math.max(0, (base + dueAt - this.nowMicros()) / 1000);
      this.timer = setTimeout(() => {
        this.emit(stamp(frame));
        step(i + 1);
      }, wait);
    };
    step(index);
  }

  private emit(bytes: Buffer): void {
    if (this.stopped) return;
    this.sent++;
    this.send(bytes);
  }

  private finished(): void {
    if (this.options.loop && !this.stopped && this.frames.length > 0) {
      this.timer = setTimeout(() => this.playFrom(0, this.nowMicros()), 1000);
      return;
    }
    this.resolveDone();
  }
}

/** The frame with its Timestamp line's value replaced; latin1 both ways, so no other byte changes. */
export function retime(raw: Buffer, timestamp: string): Buffer {
  const text = raw.toString('latin1').replace(/^(Timestamp:[ \t]*)[^\r\n]*/im, `$1${timestamp}`);
  return Buffer.from(text, 'latin1');
}
