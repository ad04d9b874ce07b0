import { createHash, randomInt } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { AmiMessage } from '@okc/ami';
import type { ActionHandler } from '../actions/action-context';
import { atxfer, blindTransferAction, hangupAction, originate, redirect } from '../actions/call-actions';
import { dbDel, dbDelTree, dbGet, dbPut } from '../actions/db-actions';
import { queueAdd, queuePause, queueRemove, queueStatus, queueSummary } from '../actions/queue-actions';
import { command, coreShowChannels, events, getvar, ping, setvar } from '../actions/system-actions';
import type { Engine } from '../engine/engine';
import { formatEventTv, renderEvent, type AmiEvent } from '../render/ami-event';
import { formatAmiMessage } from '@okc/ami';
import { AmiSession, parseEventMask, type SessionHost } from './ami-session';
import { error, response, success } from './responses';

/** The first line Asterisk 22 sends (manager.c's AMI_VERSION is 11.0.0 since Asterisk 22). */
export const BANNER = 'Asterisk Call Manager/11.0.0';

export interface AmiUser {
  readonly username: string;
  readonly secret: string;
}

export interface AmiServerOptions {
  readonly host: string;
  /** 0: any free port (see AmiServer.port). */
  readonly port: number;
  readonly users: readonly AmiUser[];
}

const ACTIONS: Readonly<Record<string, ActionHandler>> = {
  ping,
  events,
  command,
  coreshowchannels: coreShowChannels,
  setvar,
  getvar,
  dbput: dbPut,
  dbget: dbGet,
  dbdel: dbDel,
  dbdeltree: dbDelTree,
  queuestatus: queueStatus,
  queuesummary: queueSummary,
  queuepause: queuePause,
  queueadd: queueAdd,
  queueremove: queueRemove,
  originate,
  hangup: hangupAction,
  redirect,
  atxfer,
  blindtransfer: blindTransferAction,
};

const ACTION_NAMES = [
  'Login',
  'Challenge',
  'Logoff',
  'Ping',
  'Events',
  'Command',
  'CoreShowChannels',
  'Setvar',
  'Getvar',
  'DBPut',
  'DBGet',
  'DBDel',
  'DBDelTree',
  'QueueStatus',
  'QueueSummary',
  'QueuePause',
  'QueueAdd',
  'QueueRemove',
  'Originate',
  'Hangup',
  'Redirect',
  'Atxfer',
  'BlindTransfer',
  'ListCommands',
];

/**
 * The AMI listener: banner, Challenge/Login (MD5 or plaintext), the actions above, and every engine event to
 * each authenticated session that reads its class (`Privilege: <class>,all`, `Timestamp:` as with
 * timestampevents = yes).
 */
export class AmiServer implements SessionHost {
  private server: Server | null = null;
  private readonly sessions = new Set<AmiSession>();
  private readonly congestedSessions = new Set<AmiSession>();
  private sequence = 0;
  private readonly startedAt: number;
  private readonly loginListeners: ((session: AmiSession) => void)[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly options: AmiServerOptions,
  ) {
    this.startedAt = engine.pbx.nowSec();
    engine.pbx.onEvent((event) => this.broadcast(event));
  }

  get port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : this.options.port;
  }

  get authenticatedSessions(): number {
    return [...this.sessions].filter((s) => s.authenticated).length;
  }

  /** Called after each successful login (the simulator starts fast traffic on the first one). */
  onLogin(listener: (session: AmiSession) => void): void {
    this.loginListeners.push(listener);
  }

  async listen(): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return this.port;
  }

  /**
   * As Asterisk stops: `Event: Shutdown` to each session, then an orderly close, so a client reads every event
   * already sent (destroying the sockets instead would reset them and lose what the client had not read yet).
   * A client that does not close its side within `graceMs` is cut off.
   */
  async close(graceMs = 5000): Promise<void> {
    const closing = [...this.sessions].map((session) => {
      if (session.wants('system')) {
        session.send(
          formatAmiMessage({
            Event: 'Shutdown',
            Privilege: 'system,all',
            Shutdown: 'Cleanly',
            Restart: 'False',
          }),
        );
      }
      const closed = new Promise<void>((resolve) => {
        if (session.socket.destroyed) return resolve();
        session.socket.once('close', () => resolve());
      });
      session.close();
      return closed;
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(closing),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
    for (const session of this.sessions) session.socket.destroy();
    this.sessions.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Sends recorded AMI bytes to every authenticated session (replay). */
  sendRaw(text: string | Buffer): void {
    for (const session of this.sessions) if (session.authenticated) session.send(text);
  }

  broadcast(event: AmiEvent): void {
    let text: string | null = null;
    for (const session of this.sessions) {
      if (!session.wants(event.cls)) continue;
      text ??= renderEvent(event);
      session.send(text);
    }
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const session = new AmiSession(socket, this, ++this.sequence);
    this.sessions.add(session);
    socket.write(`${BANNER}\r\n`);
  }

  closed(session: AmiSession): void {
    this.sessions.delete(session);
  }

  congested(session: AmiSession, congested: boolean): void {
    const was = this.congestedSessions.size > 0;
    if (congested) this.congestedSessions.add(session);
    else this.congestedSessions.delete(session);
    const is = this.congestedSessions.size > 0;
    if (!was && is) this.engine.clock.hold();
    if (was && !is) this.engine.clock.release();
  }

  handle(session: AmiSession, message: AmiMessage): void {
    if (!session.open) return;
    const header = (name: string) => {
      const value = message.headers[name.toLowerCase()];
      return value === undefined || value === '' ? undefined : value;
    };
    const actionId = message.headers['actionid'];
    const action = header('Action');
    if (!action) return session.send(error(actionId, 'Missing action in request'));
    const name = action.toLowerCase();
    if (name === 'login') return this.login(session, actionId, header);
    if (name === 'challenge') return this.challenge(session, actionId, header);
    if (name === 'logoff') {
      session.send(response('Goodbye', actionId, { Message: 'Thanks for all the fish.' }));
      return session.close();
    }
    if (!session.authenticated) return session.send(error(actionId, 'Permission denied'));
    if (name === 'listcommands') {
      const fields: Record<string, string> = {};
      for (const n of ACTION_NAMES) fields[n] = `${n}.  Priv: <none>`;
      return session.send(response('Success', actionId, fields));
    }
    const handler = ACTIONS[name];
    if (!handler) {
      return session.send(
        error(
          actionId,
          `Invalid/unknown command: ${action}. Use Action: ListCommands to show available commands.`,
        ),
      );
    }
    // In real time, timers that are due run first, so that the action's events come after theirs.
    this.engine.clock.catchUp();
    handler({ engine: this.engine, session, message, actionId, header, reply: (text) => session.send(text) });
  }

  private challenge(
    session: AmiSession,
    actionId: string | undefined,
    header: (n: string) => string | undefined,
  ): void {
    if ((header('AuthType') ?? '').toLowerCase() !== 'md5') {
      return session.send(error(actionId, 'Must specify AuthType'));
    }
    session.challenge ??= String(randomInt(100_000_000, 999_999_999));
    session.send(response('Success', actionId, { Challenge: session.challenge }));
  }

  private login(
    session: AmiSession,
    actionId: string | undefined,
    header: (n: string) => string | undefined,
  ): void {
    if (session.authenticated) return session.send(success(actionId, 'Already authenticated'));
    const username = header('Username') ?? '';
    const user = this.options.users.find((u) => u.username.toLowerCase() === username.toLowerCase());
    const key = header('Key');
    const md5 = (header('AuthType') ?? '').toLowerCase() === 'md5';
    let accepted = false;
    if (user && md5 && key !== undefined && session.challenge !== null) {
      accepted =
        createHash('md5')
          .update(session.challenge + user.secret)
          .digest('hex') === key;
    } else if (user && !md5) {
      accepted = (header('Secret') ?? '') === user.secret;
    }
    if (!accepted) {
      // As Asterisk: an error, then the connection is closed.
      session.send(error(actionId, 'Authentication failed'));
      session.close();
      return;
    }
    session.authenticated = true;
    session.username = user!.username;
    const eventsHeader = header('Events');
    if (eventsHeader !== undefined) session.classes = parseEventMask(eventsHeader);
    session.send(success(actionId, 'Authentication accepted'));
    const uptime = Math.max(0, this.engine.pbx.nowSec() - this.startedAt);
    if (session.wants('system')) {
      session.send(
        formatAmiMessage({
          Event: 'FullyBooted',
          Privilege: 'system,all',
          Uptime: uptime,
          LastReload: uptime,
          Status: 'Fully Booted',
        }),
      );
    }
    const now = this.engine.pbx.now();
    this.engine.pbx.emit({
      name: 'SuccessfulAuth',
      cls: 'security',
      fields: {
        EventTV: formatEventTv(now),
        Severity: 'Informational',
        Service: 'AMI',
        EventVersion: 1,
        AccountID: session.username,
        SessionID: session.id,
        LocalAddress: session.local,
        RemoteAddress: session.remote,
        UsingPassword: md5 ? 0 : 1,
        SessionTV: formatEventTv(now),
      },
    });
    for (const listener of this.loginListeners) listener(session);
  }
}
