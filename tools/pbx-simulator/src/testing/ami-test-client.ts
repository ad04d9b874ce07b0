import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { AmiParser, formatAmiMessage, type AmiMessage } from '@okc/ami';

/**
 * A minimal AMI client for the simulator's own integration tests: connect, send actions, wait for their
 * responses (by ActionID) and collect events. Not a production client (that is libs/ami's).
 */
export class AmiTestClient {
  banner: string | null = null;
  readonly messages: AmiMessage[] = [];
  /** Every byte received after the banner line (determinism tests compare these). */
  readonly raw: Buffer[] = [];
  closed = false;
  /** The socket's error, if it ended with one (ECONNRESET: the server reset instead of closing). */
  error: Error | null = null;
  private readonly waiters: { test: (m: AmiMessage) => boolean; resolve: (m: AmiMessage) => void }[] = [];
  private readonly closeWaiters: (() => void)[] = [];
  private nextId = 1;

  private constructor(private readonly socket: Socket) {
    const parser = new AmiParser({
      onBanner: (line) => {
        this.banner = line;
      },
      onMessage: (message) => {
        this.messages.push(message);
        for (const waiter of [...this.waiters]) {
          if (waiter.test(message)) {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            waiter.resolve(message);
          }
        }
      },
    });
    socket.on('data', (chunk: Buffer) => {
      this.raw.push(chunk);
      parser.push(chunk);
    });
    socket.on('error', (error) => {
      this.error = error;
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.closeWaiters.splice(0)) w();
    });
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<AmiTestClient> {
    const socket = connect({ port, host });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const client = new AmiTestClient(socket);
    await client.until(() => client.banner !== null);
    return client;
  }

  /** Sends an action and resolves with its response (the message with its ActionID and a Response header). */
  action(fields: Record<string, string>): Promise<AmiMessage> {
    const actionId = fields.ActionID ?? `t-${this.nextId++}`;
    const reply = this.next((m) => m.headers['actionid'] === actionId && m.headers['response'] !== undefined);
    this.socket.write(formatAmiMessage({ ...fields, ActionID: actionId }));
    return reply;
  }

  /** Resolves with the first message (from now on) that passes the test. */
  next(test: (m: AmiMessage) => boolean): Promise<AmiMessage> {
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** Resolves with the first message, received already or later, that passes the test. */
  find(test: (m: AmiMessage) => boolean): Promise<AmiMessage> {
    const seen = this.messages.find(test);
    return seen ? Promise.resolve(seen) : this.next(test);
  }

  async loginMd5(username: string, secret: string, extra: Record<string, string> = {}): Promise<AmiMessage> {
    const challenge = await this.action({ Action: 'Challenge', AuthType: 'MD5' });
    const key = createHash('md5')
      .update((challenge.headers['challenge'] ?? '') + secret)
      .digest('hex');
    return this.action({ Action: 'Login', Username: username, AuthType: 'MD5', Key: key, ...extra });
  }

  events(name?: string): AmiMessage[] {
    return this.messages.filter(
      (m) => m.headers['event'] !== undefined && (!name || m.headers['event'] === name),
    );
  }

  waitClosed(): Promise<void> {
    return this.closed ? Promise.resolve() : new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  close(): void {
    this.socket.destroy();
  }

  /** Stops reading (what the server sends piles up on its side), until resume(). */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  private until(check: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const poll = () => (check() ? resolve() : setTimeout(poll, 5));
      poll();
    });
  }
}
