import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import {
  DEFAULT_RECONNECT,
  authFailedDelayMs,
  reconnectDelayMs,
  type AmiReconnectOptions,
} from './ami-backoff';
import type {
  AmiAction,
  AmiClientCounters,
  AmiClientEvents,
  AmiClientOptions,
  AmiClientState,
  AmiClientStatus,
  AmiFieldValue,
  AmiListResult,
  AmiTimers,
} from './ami-client.types';
import { AmiActionTracker } from './ami-action-tracker';
import { AmiError } from './ami-errors';
import { formatAmiMessage, type AmiMessage } from './ami-message';
import { AmiParser, type AmiParseError } from './ami-parser';

interface Connection {
  readonly seq: number;
  readonly socket: Socket;
  readonly parser: AmiParser;
  /** Set when we close it, so that the close handler knows why. */
  closing: AmiError | null;
  socketError: AmiError | null;
  loggedInAt: number | null;
  handshakeTimer: unknown;
  pingTimer: unknown;
  readonly onClosed: (() => void)[];
}

const DEFAULT_TIMERS: AmiTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
const STOP_GRACE_MS = 1000;

/**
 * One AMI connection with login, actions correlated by ActionID, list actions, keep-alive and reconnect.
 *
 * The socket is read continuously: every message is routed synchronously from the data callback, and
 * `event` listeners run inside it, so they must not block (queue the work, do not await it).
 */
export class AmiClient extends EventEmitter<AmiClientEvents> {
  private readonly host: string;
  private readonly port: number;
  private readonly username: string;
  private readonly secret: string;
  private readonly eventsFilter: string;
  private readonly connectTimeoutMs: number;
  private readonly actionTimeoutMs: number;
  private readonly pingIntervalMs: number;
  private readonly pingTimeoutMs: number;
  private readonly reconnectOptions: Required<AmiReconnectOptions>;
  private readonly maxFrameBytes: number | undefined;
  private readonly fallbackEncoding: string | undefined;
  private readonly random: () => number;
  private readonly timers: AmiTimers;
  private readonly now: () => number;
  private readonly onListenerError: (error: unknown) => void;

  private state: AmiClientState = 'disconnected';
  private started = false;
  private connection: Connection | null = null;
  private readonly actions: AmiActionTracker;
  // Random per client: events such as OriginateResponse carry the ActionID to every session of the AMI user.
  private readonly idPrefix = `okc-${randomBytes(3).toString('hex')}-`;
  private actionSeq = 0;
  private connectionSeq = 0;
  private attempt = 0;
  private reconnectTimer: unknown = null;
  private nextReconnectAt: number | null = null;
  private nextReconnectDelayMs: number | null = null;
  private banner: string | null = null;
  private connectedAt: number | null = null;
  private lastEventAt: number | null = null;
  private lastMessageAt: number | null = null;
  private lastError: AmiClientStatus['lastError'] = null;
  private readonly counters: AmiClientCounters = {
    connects: 0,
    disconnects: 0,
    authFailures: 0,
    messages: 0,
    events: 0,
    actionsSent: 0,
    actionTimeouts: 0,
    pingTimeouts: 0,
    unmatchedResponses: 0,
    framesTooLarge: 0,
    malformedLines: 0,
    listenerErrors: 0,
  };

  constructor(options: AmiClientOptions) {
    super();
    this.host = options.host;
    this.port = options.port ?? 5038;
    this.username = options.username;
    this.secret = options.secret;
    this.eventsFilter = options.events ?? 'on';
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.actionTimeoutMs = options.actionTimeoutMs ?? 10_000;
    this.pingIntervalMs = options.pingIntervalMs ?? 20_000;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 5_000;
    this.reconnectOptions = { ...DEFAULT_RECONNECT, ...options.reconnect };
    this.maxFrameBytes = options.maxFrameBytes;
    this.fallbackEncoding = options.fallbackEncoding;
    this.random = options.random ?? Math.random;
    this.timers = options.timers ?? DEFAULT_TIMERS;
    this.now = options.now ?? Date.now;
    this.onListenerError =
      options.onListenerError ??
      ((error) => process.emitWarning(error instanceof Error ? error : String(error), 'AmiListenerError'));
    this.actions = new AmiActionTracker(this.timers, () => this.counters.actionTimeouts++);
  }

  /** A snapshot. */
  get status(): AmiClientStatus {
    return {
      state: this.state,
      banner: this.banner,
      connectedAt: this.connectedAt,
      lastEventAt: this.lastEventAt,
      lastMessageAt: this.lastMessageAt,
      lastError: this.lastError,
      reconnectAttempt: this.attempt,
      nextReconnectAt: this.nextReconnectAt,
      nextReconnectDelayMs: this.nextReconnectDelayMs,
      pendingActions: this.actions.size,
      counters: { ...this.counters },
    };
  }

  /** Connects, logs in, and keeps reconnecting until stop(). Watch `connected` and `status`. */
  start(): void {
    if (this.started) return;
    this.started = true;
    // After a stop() still closing the old socket, its close handler schedules the reconnect.
    if (this.connection === null) this.connect();
  }

  /** Logs off and closes; no more reconnects. Pending actions are rejected (DISCONNECTED). */
  stop(): Promise<void> {
    this.started = false;
    this.cancelReconnect();
    const connection = this.connection;
    if (connection === null) {
      this.state = 'disconnected';
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      connection.onClosed.push(resolve);
      connection.closing ??= new AmiError('DISCONNECTED', 'the client was stopped');
      if (connection.loggedInAt !== null && !connection.socket.destroyed) {
        // Polite: Asterisk answers Goodbye and closes; the grace timer covers a server that does not.
        connection.socket.end(
          formatAmiMessage({ Action: 'Logoff', ActionID: this.nextActionId(connection) }),
        );
        const grace = this.timers.setTimeout(() => connection.socket.destroy(), STOP_GRACE_MS);
        connection.onClosed.push(() => this.timers.clearTimeout(grace));
      } else {
        connection.socket.destroy();
      }
    });
  }

  /**
   * Sends an action and resolves with its response. Rejects with AmiError: ACTION_FAILED (`Response: Error`,
   * the response attached), ACTION_TIMEOUT (only this action), DISCONNECTED, NOT_CONNECTED.
   */
  async send(action: AmiAction, options: { readonly timeoutMs?: number } = {}): Promise<AmiMessage> {
    const result = await this.request(action, options.timeoutMs ?? this.actionTimeoutMs, false);
    return result.response;
  }

  /**
   * Sends a list action (QueueStatus, CoreShowChannels…) and collects the events carrying its ActionID up
   * to `EventList: Complete`; those events do not reach `event` listeners. The timeout covers the whole list.
   */
  sendList(action: AmiAction, options: { readonly timeoutMs?: number } = {}): Promise<AmiListResult> {
    return this.request(action, options.timeoutMs ?? this.actionTimeoutMs, true);
  }

  private connect(): void {
    this.state = 'connecting';
    const socket = createConnection({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    const connection: Connection = {
      seq: ++this.connectionSeq,
      socket,
      parser: new AmiParser({
        ...(this.maxFrameBytes === undefined ? {} : { maxFrameBytes: this.maxFrameBytes }),
        ...(this.fallbackEncoding === undefined ? {} : { fallbackEncoding: this.fallbackEncoding }),
        onBanner: (line) => this.onBanner(connection, line),
        onMessage: (message) => this.route(message),
        onError: (error) => this.onParseError(error),
      }),
      closing: null,
      socketError: null,
      loggedInAt: null,
      handshakeTimer: null,
      pingTimer: null,
      onClosed: [],
    };
    this.connection = connection;
    connection.handshakeTimer = this.timers.setTimeout(
      () =>
        this.close(
          connection,
          new AmiError('HANDSHAKE_TIMEOUT', `no login within ${this.connectTimeoutMs} ms (${this.state})`),
        ),
      this.connectTimeoutMs,
    );
    socket.on('data', (chunk: Buffer) => {
      if (this.connection === connection && connection.closing === null) connection.parser.push(chunk);
    });
    socket.on('error', (error) => {
      connection.socketError ??= new AmiError('SOCKET_ERROR', error.message);
    });
    socket.on('close', () => this.onClose(connection));
  }

  private onBanner(connection: Connection, line: string): void {
    this.banner = line;
    this.state = 'authenticating';
    void this.login(connection);
  }

  private async login(connection: Connection): Promise<void> {
    try {
      const challenge = await this.send({ Action: 'Challenge', AuthType: 'MD5' }, this.handshakeBudget());
      const nonce = challenge.headers.challenge;
      if (!nonce) throw new AmiError('AUTH_FAILED', 'the Challenge response has no Challenge', challenge);
      const key = createHash('md5')
        .update(nonce + this.secret)
        .digest('hex');
      await this.send(
        { Action: 'Login', Username: this.username, AuthType: 'MD5', Key: key, Events: this.eventsFilter },
        this.handshakeBudget(),
      );
      this.onLoggedIn(connection);
    } catch (error) {
      if (this.connection !== connection || connection.closing !== null) return;
      if (error instanceof AmiError && (error.code === 'ACTION_FAILED' || error.code === 'AUTH_FAILED')) {
        this.onAuthFailed(connection, error);
      } else if (error instanceof AmiError && error.code === 'ACTION_TIMEOUT') {
        this.close(connection, new AmiError('HANDSHAKE_TIMEOUT', error.message));
      }
      // DISCONNECTED: the close handler has dealt with it.
    }
  }

  private handshakeBudget(): { timeoutMs: number } {
    return { timeoutMs: this.connectTimeoutMs };
  }

  private onLoggedIn(connection: Connection): void {
    this.timers.clearTimeout(connection.handshakeTimer);
    const now = this.now();
    connection.loggedInAt = now;
    this.connectedAt = now;
    this.state = 'connected';
    this.counters.connects++;
    this.schedulePing(connection);
    this.deliver('connected', { banner: this.banner });
  }

  private onAuthFailed(connection: Connection, cause: AmiError): void {
    this.counters.authFailures++;
    const reason = cause.response?.headers.message || cause.message;
    const error = new AmiError('AUTH_FAILED', reason, cause.response);
    this.state = 'auth-failed';
    this.close(connection, error);
    this.deliver('auth-failed', { reason, error });
  }

  private schedulePing(connection: Connection): void {
    if (this.pingIntervalMs <= 0) return;
    connection.pingTimer = this.timers.setTimeout(() => {
      if (this.connection !== connection || connection.closing !== null) return;
      this.send({ Action: 'Ping' }, { timeoutMs: this.pingTimeoutMs }).then(
        () => this.schedulePing(connection),
        (error: unknown) => {
          if (error instanceof AmiError && error.code === 'ACTION_TIMEOUT') {
            this.counters.pingTimeouts++;
            this.close(connection, new AmiError('PING_TIMEOUT', `no Pong within ${this.pingTimeoutMs} ms`));
          } else if (error instanceof AmiError && error.code === 'ACTION_FAILED') {
            this.schedulePing(connection); // an answer all the same: the connection is alive
          }
        },
      );
    }, this.pingIntervalMs);
  }

  private request(action: AmiAction, timeoutMs: number, list: boolean): Promise<AmiListResult> {
    const connection = this.connection;
    const handshake = action.Action === 'Challenge' || action.Action === 'Login';
    if (
      connection === null ||
      connection.closing !== null ||
      (this.state !== 'connected' && !(handshake && this.state === 'authenticating'))
    ) {
      return Promise.reject(new AmiError('NOT_CONNECTED', `cannot send ${action.Action}: ${this.state}`));
    }
    const id = this.nextActionId(connection);
    const fields: Record<string, AmiFieldValue> = { Action: action.Action, ActionID: id };
    for (const [key, value] of Object.entries(action)) {
      const name = key.toLowerCase();
      if (name !== 'action' && name !== 'actionid') fields[key] = value;
    }
    let bytes: string;
    try {
      bytes = formatAmiMessage(fields); // refuses CR/LF in a key or value
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const response = this.actions.track(id, action.Action, list, timeoutMs);
    this.counters.actionsSent++;
    connection.socket.write(bytes);
    return response;
  }

  private nextActionId(connection: Connection): string {
    return `${this.idPrefix}${connection.seq}.${++this.actionSeq}`;
  }

  /** The read path: synchronous, no awaiting anyone. */
  private route(message: AmiMessage): void {
    const now = this.now();
    this.lastMessageAt = now;
    this.counters.messages++;
    switch (this.actions.route(message)) {
      case 'event':
        this.lastEventAt = now;
        this.counters.events++;
        this.deliver('event', message);
        return;
      case 'unmatched':
        this.counters.unmatchedResponses++;
        return;
      case 'action':
      case 'dropped':
        return;
    }
  }

  private onParseError(error: AmiParseError): void {
    if (error.kind === 'frame-too-large') this.counters.framesTooLarge++;
    else this.counters.malformedLines++;
    this.deliver('parse-error', error);
  }

  /** Closes the connection for `reason`; onClose does the rest once the socket is gone. */
  private close(connection: Connection, reason: AmiError): void {
    if (connection.closing !== null) return;
    connection.closing = reason;
    // Recorded now, not on the close event: status reads consistently as soon as the decision is made.
    this.recordError(reason);
    connection.socket.destroy();
  }

  private onClose(connection: Connection): void {
    this.timers.clearTimeout(connection.handshakeTimer);
    this.timers.clearTimeout(connection.pingTimer);
    if (this.connection !== connection) {
      for (const resolve of connection.onClosed) resolve();
      return;
    }
    this.connection = null;
    const reason =
      connection.closing ??
      connection.socketError ??
      new AmiError('DISCONNECTED', 'the server closed the connection');
    const authFailed = reason.code === 'AUTH_FAILED';
    if (connection.closing === null) this.recordError(reason); // ours were recorded by close()

    const lost = new AmiError('DISCONNECTED', `connection closed: ${reason.message}`);
    this.actions.rejectAll(lost);

    const wasConnected = connection.loggedInAt !== null;
    if (wasConnected && this.now() - connection.loggedInAt! >= this.reconnectOptions.stableAfterMs) {
      this.attempt = 0;
    }
    this.state = authFailed && this.started ? 'auth-failed' : 'disconnected';
    if (wasConnected) {
      this.counters.disconnects++;
      this.deliver('disconnected', { reason });
    }
    for (const resolve of connection.onClosed) resolve();
    if (this.started && this.connection === null) this.scheduleReconnect(authFailed);
  }

  private scheduleReconnect(afterAuthFailure: boolean): void {
    const delay = afterAuthFailure
      ? authFailedDelayMs(this.random, this.reconnectOptions)
      : reconnectDelayMs(this.attempt++, this.random, this.reconnectOptions);
    this.nextReconnectDelayMs = delay;
    this.nextReconnectAt = this.now() + delay;
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      this.nextReconnectAt = null;
      this.nextReconnectDelayMs = null;
      if (this.started && this.connection === null) this.connect();
    }, delay);
  }

  private cancelReconnect(): void {
    if (this.reconnectTimer !== null) this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.nextReconnectAt = null;
    this.nextReconnectDelayMs = null;
  }

  private recordError(error: AmiError): void {
    this.lastError = { code: error.code, message: error.message, at: this.now() };
  }

  /** Listener exceptions stay out of the read path. */
  private deliver<K extends keyof AmiClientEvents>(name: K, ...args: AmiClientEvents[K]): void {
    try {
      // The untyped emit: TypeScript cannot relate a generic K to EventEmitter's own mapped signature.
      (this as EventEmitter).emit(name, ...args);
    } catch (error) {
      this.counters.listenerErrors++;
      this.onListenerError(error);
    }
  }
}
