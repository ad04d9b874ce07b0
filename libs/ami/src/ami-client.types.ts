import type { AmiReconnectOptions } from './ami-backoff';
import type { AmiError, AmiErrorCode } from './ami-errors';
import type { AmiMessage } from './ami-message';
import type { AmiParseError } from './ami-parser';

export type AmiFieldValue = string | number | boolean | readonly string[] | undefined;

/** An action as written on the wire; `ActionID` is set by the client (one given here is replaced). */
export type AmiAction = { readonly Action: string } & Readonly<Record<string, AmiFieldValue>>;

export type AmiClientState = 'connecting' | 'authenticating' | 'connected' | 'auth-failed' | 'disconnected';

/** Timer functions, injectable so that tests can observe or drive the delays. */
export interface AmiTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AmiClientOptions {
  readonly host: string;
  /** Default 5038. */
  readonly port?: number;
  readonly username: string;
  readonly secret: string;
  /** The Login `Events:` field: `on`, `off`, or a class list such as `call,agent`. Default `on`. */
  readonly events?: string;
  /** TCP connect, banner and login together. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Default timeout of send() and sendList(). Default 10 s. */
  readonly actionTimeoutMs?: number;
  /** A Ping this often once logged in; 0 turns it off. Default 20 s. */
  readonly pingIntervalMs?: number;
  /** No Pong within this: the connection is dead and is closed (then reconnected). Default 5 s. */
  readonly pingTimeoutMs?: number;
  readonly reconnect?: AmiReconnectOptions;
  /** Passed to the parser. */
  readonly maxFrameBytes?: number;
  readonly fallbackEncoding?: string;
  /** For the reconnect jitter; default Math.random. */
  readonly random?: () => number;
  readonly timers?: AmiTimers;
  readonly now?: () => number;
  /** A listener threw: the client catches it (reading must go on) and hands it here. Default: a process warning. */
  readonly onListenerError?: (error: unknown) => void;
}

export interface AmiClientCounters {
  /** Successful logins. */
  connects: number;
  /** Losses of a logged-in connection. */
  disconnects: number;
  authFailures: number;
  messages: number;
  /** Events delivered to `event` listeners. */
  events: number;
  actionsSent: number;
  actionTimeouts: number;
  pingTimeouts: number;
  /** Responses whose ActionID matched nothing pending (late after a timeout, or not ours). */
  unmatchedResponses: number;
  framesTooLarge: number;
  malformedLines: number;
  listenerErrors: number;
}

export interface AmiClientStatus {
  readonly state: AmiClientState;
  readonly banner: string | null;
  readonly connectedAt: number | null;
  readonly lastEventAt: number | null;
  readonly lastMessageAt: number | null;
  readonly lastError: { readonly code: AmiErrorCode; readonly message: string; readonly at: number } | null;
  /** Failed attempts since the last stable connection; drives the backoff. */
  readonly reconnectAttempt: number;
  readonly nextReconnectAt: number | null;
  readonly nextReconnectDelayMs: number | null;
  readonly pendingActions: number;
  readonly counters: Readonly<AmiClientCounters>;
}

export interface AmiListResult {
  /** The response (`EventList: start`, or a plain Success for an action that lists nothing). */
  readonly response: AmiMessage;
  /** The events carrying the action's ActionID, in order, without the closing one. */
  readonly events: readonly AmiMessage[];
  /** The closing event (`EventList: Complete`, e.g. QueueStatusComplete), or null without a list. */
  readonly complete: AmiMessage | null;
}

/** Listener signatures: `client.on('event', (message) => …)`. */
export interface AmiClientEvents {
  /** Every event except those answering a pending sendList(). Listeners must be synchronous and cheap. */
  event: [message: AmiMessage];
  /** Logged in (also after each reconnect): re-read any state the events would have told. */
  connected: [info: { readonly banner: string | null }];
  /** A logged-in connection was lost; pending actions have been rejected. */
  disconnected: [info: { readonly reason: AmiError }];
  /** Login refused; the next attempt waits reconnect.authFailedDelayMs. */
  'auth-failed': [info: { readonly reason: string; readonly error: AmiError }];
  'parse-error': [error: AmiParseError];
}
