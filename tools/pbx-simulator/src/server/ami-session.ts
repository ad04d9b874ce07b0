import type { Socket } from 'node:net';
import { AmiParser, type AmiMessage } from '@okc/ami';
import { EVENT_CLASSES, type EventClass } from '../render/ami-event';

/** Above this many unsent bytes a session asks the clock to wait (fast mode). */
const HIGH_WATER = 4 * 1024 * 1024;

export interface SessionHost {
  handle(session: AmiSession, message: AmiMessage): void;
  closed(session: AmiSession): void;
  /** Backpressure: the session's socket is full, or drained again. */
  congested(session: AmiSession, congested: boolean): void;
}

/** One AMI connection: its login state, the event classes it reads, and its socket. */
export class AmiSession {
  authenticated = false;
  username = '';
  challenge: string | null = null;
  /** The classes this session receives (Login's `Events:` header, the Events action). */
  classes: ReadonlySet<EventClass> = new Set(EVENT_CLASSES);
  readonly id: string;
  private readonly parser: AmiParser;
  private isCongested = false;
  private closing = false;

  constructor(
    readonly socket: Socket,
    private readonly host: SessionHost,
    sequence: number,
  ) {
    this.id = `0x${(0x7fae88000000 + sequence * 0x1c40).toString(16)}`;
    this.parser = new AmiParser({ onMessage: (message) => this.host.handle(this, message) });
    socket.on('data', (chunk: Buffer) => {
      if (!this.closing) this.parser.push(chunk);
    });
    socket.on('drain', () => this.setCongested(false));
    socket.on('close', () => {
      this.setCongested(false);
      this.host.closed(this);
    });
    socket.on('error', () => socket.destroy());
  }

  get remote(): string {
    return `IPV4/TCP/${this.socket.remoteAddress ?? '0.0.0.0'}/${this.socket.remotePort ?? 0}`;
  }

  get local(): string {
    return `IPV4/TCP/${this.socket.localAddress ?? '0.0.0.0'}/${this.socket.localPort ?? 0}`;
  }

  get open(): boolean {
    return !this.closing && !this.socket.destroyed;
  }

  send(text: string | Buffer): void {
    if (!this.open) return;
    this.socket.write(text);
    if (this.socket.writableLength > HIGH_WATER) this.setCongested(true);
  }

  /** Writes what is pending, then closes (Logoff, failed login). */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.socket.end();
  }

  wants(cls: EventClass): boolean {
    return this.authenticated && this.classes.has(cls);
  }

  private setCongested(congested: boolean): void {
    if (this.isCongested === congested) return;
    this.isCongested = congested;
    this.host.congested(this, congested);
  }
}

/**
 * `Events:` values: on/yes/true (all), off/no/false/none (nothing), or a comma list of classes. `all` in a
 * list means every class, as in manager.conf.
 */
export function parseEventMask(value: string): Set<EventClass> {
  const v = value.trim().toLowerCase();
  if (['on', 'yes', 'true', '1', 'all'].includes(v)) return new Set(EVENT_CLASSES);
  if (['off', 'no', 'false', '0', 'none', ''].includes(v)) return new Set();
  const parts = v.split(',').map((p) => p.trim());
  if (parts.includes('all')) return new Set(EVENT_CLASSES);
  return new Set(EVENT_CLASSES.filter((c) => parts.includes(c)));
}
