import { createHash } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { formatAmiMessage, type AmiMessage } from '../ami-message';
import { AmiParser } from '../ami-parser';

// A small AMI server for tests (`@okc/ami/testing`): banner, MD5 challenge login, Ping, Logoff as Asterisk 22
// answers them; every other action goes to `onAction`. Not a simulator (tools/pbx-simulator is one).

export type Fields = Record<string, string | number | readonly string[] | undefined>;

export interface ServerConnection {
  readonly socket: Socket;
  readonly actions: AmiMessage[];
  nonce: string;
  loggedIn: boolean;
  reply(action: AmiMessage, fields: Fields): void;
  write(fields: Fields): void;
}

/** An AMI server: banner, MD5 challenge login, Ping; other actions go to `onAction` (default: Success). */
export class FakeAsterisk {
  secret = 'right-secret';
  username = 'okc';
  answerPings = true;
  sendBanner = true;
  onAction: (action: AmiMessage, connection: ServerConnection) => void = (action, connection) =>
    connection.reply(action, { Response: 'Success', Message: 'ok' });
  readonly connections: ServerConnection[] = [];
  private readonly server: Server;

  private constructor() {
    this.server = createServer((socket) => this.accept(socket));
  }

  static async start(port = 0): Promise<FakeAsterisk> {
    const fake = new FakeAsterisk();
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(port, '127.0.0.1', resolve);
    });
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get actions(): AmiMessage[] {
    return this.connections.flatMap((c) => c.actions);
  }

  actionsNamed(name: string): AmiMessage[] {
    return this.actions.filter((a) => a.headers.action === name);
  }

  get live(): ServerConnection | undefined {
    return this.connections.findLast((c) => !c.socket.destroyed);
  }

  /** Events to every logged-in connection. */
  broadcast(fields: Fields): void {
    for (const c of this.connections) if (c.loggedIn && !c.socket.destroyed) c.write(fields);
  }

  /** Raw AMI bytes (a recorded transcript's events) to every logged-in connection. */
  broadcastRaw(bytes: Buffer | string): void {
    for (const c of this.connections) if (c.loggedIn && !c.socket.destroyed) c.socket.write(bytes);
  }

  dropAll(): void {
    for (const c of this.connections) c.socket.destroy();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const connection: ServerConnection = {
      socket,
      actions: [],
      nonce: '',
      loggedIn: false,
      write: (fields) => {
        if (!socket.destroyed) socket.write(formatAmiMessage(fields));
      },
      reply: (action, fields) => connection.write({ ...fields, ActionID: action.headers.actionid }),
    };
    this.connections.push(connection);
    socket.on('error', () => undefined);
    const parser = new AmiParser({
      onMessage: (action) => {
        connection.actions.push(action);
        switch (action.headers.action ?? '') {
          case 'Challenge':
            connection.nonce = String(100_000_000 + Math.floor(Math.random() * 900_000_000));
            return connection.reply(action, { Response: 'Success', Challenge: connection.nonce });
          case 'Login': {
            const key = createHash('md5')
              .update(connection.nonce + this.secret)
              .digest('hex');
            if (action.headers.key !== key || action.headers.username !== this.username) {
              return connection.reply(action, { Response: 'Error', Message: 'Authentication failed' });
            }
            connection.loggedIn = true;
            connection.reply(action, { Response: 'Success', Message: 'Authentication accepted' });
            return connection.write({
              Event: 'FullyBooted',
              Privilege: 'system,all',
              Status: 'Fully Booted',
            });
          }
          case 'Ping':
            if (this.answerPings)
              connection.reply(action, { Response: 'Success', Ping: 'Pong', Timestamp: '1.0' });
            return;
          case 'Logoff':
            connection.reply(action, { Response: 'Goodbye', Message: 'Thanks for all the fish.' });
            return void socket.end();
          default:
            return this.onAction(action, connection);
        }
      },
    });
    socket.on('data', (chunk: Buffer) => parser.push(chunk));
    if (this.sendBanner) socket.write('Asterisk Call Manager/11.0.0\r\n');
  }
}
