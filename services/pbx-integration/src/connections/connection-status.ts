import { Injectable } from '@nestjs/common';

export const CONNECTION_STATES = [
  'disabled',
  'connecting',
  'authenticating',
  'connected',
  'auth-failed',
  'disconnected',
] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/** What the API shows of a connection's link to its PBX, live. */
export interface ConnectionStatus {
  state: ConnectionState;
  authenticated: boolean;
  /** ISO time of the last event read from the PBX, null before the first. */
  lastEventAt: string | null;
  /** Events read in the last 10 s, per second. */
  eventsPerSecond: number;
  errors: number;
  /** The last error, in words a person can act on ("Authentication failed: check username and secret"). */
  lastError: { at: string; message: string } | null;
}

const WINDOW_MS = 10_000;

interface Live {
  state: ConnectionState;
  lastEventAt: number | null;
  /** Event counts per second of the window, as a ring. */
  buckets: number[];
  bucketAt: number;
  errors: number;
  lastError: { at: number; message: string } | null;
}

/**
 * The live status of every connection this instance runs, written by the connection manager as things
 * happen (cheap: a counter per event), read by the API. Not persisted: after a restart it starts again
 * from "connecting".
 */
@Injectable()
export class ConnectionStatusRegistry {
  private readonly live = new Map<string, Live>();

  constructor(private readonly now: () => number = Date.now) {}

  private entry(connectionId: string): Live {
    let entry = this.live.get(connectionId);
    if (!entry) {
      entry = {
        state: 'disconnected',
        lastEventAt: null,
        buckets: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        bucketAt: 0,
        errors: 0,
        lastError: null,
      };
      this.live.set(connectionId, entry);
    }
    return entry;
  }

  setState(connectionId: string, state: ConnectionState): void {
    this.entry(connectionId).state = state;
  }

  recordEvent(connectionId: string): void {
    const entry = this.entry(connectionId);
    const now = this.now();
    this.roll(entry, now);
    entry.buckets[Math.floor(now / 1000) % entry.buckets.length]! += 1;
    entry.lastEventAt = now;
  }

  recordError(connectionId: string, message: string): void {
    const entry = this.entry(connectionId);
    entry.errors += 1;
    entry.lastError = { at: this.now(), message };
  }

  forget(connectionId: string): void {
    this.live.delete(connectionId);
  }

  /** The status of a connection; one this instance does not run reads as disabled or disconnected. */
  status(connectionId: string, enabled: boolean): ConnectionStatus {
    const entry = this.live.get(connectionId);
    if (!entry) {
      return {
        state: enabled ? 'disconnected' : 'disabled',
        authenticated: false,
        lastEventAt: null,
        eventsPerSecond: 0,
        errors: 0,
        lastError: null,
      };
    }
    this.roll(entry, this.now());
    const events = entry.buckets.reduce((sum, n) => sum + n, 0);
    return {
      state: enabled ? entry.state : 'disabled',
      authenticated: entry.state === 'connected',
      lastEventAt: entry.lastEventAt === null ? null : new Date(entry.lastEventAt).toISOString(),
      eventsPerSecond: Math.round((events / (WINDOW_MS / 1000)) * 10) / 10,
      errors: entry.errors,
      lastError: entry.lastError
        ? { at: new Date(entry.lastError.at).toISOString(), message: entry.lastError.message }
        : null,
    };
  }

  /** Clears the seconds that passed since the ring was last touched. */
  private roll(entry: Live, now: number): void {
    const second = Math.floor(now / 1000);
    const passed = Math.min(second - entry.bucketAt, entry.buckets.length);
    for (let i = 1; i <= passed; i++) entry.buckets[(entry.bucketAt + i) % entry.buckets.length] = 0;
    entry.bucketAt = second;
  }
}
