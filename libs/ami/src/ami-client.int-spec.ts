import { createHash } from 'node:crypto';
import { AmiClient } from './ami-client';
import type { AmiClientOptions, AmiTimers } from './ami-client.types';
import { AmiError } from './ami-errors';
import { formatAmiMessage, type AmiMessage } from './ami-message';
import { FakeAsterisk } from './testing';

// Real TCP on 127.0.0.1 against a small in-test server that speaks AMI as Asterisk 22 does. No durations are
// asserted: conditions are polled with generous limits.

async function waitFor(what: string, condition: () => boolean, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const settleOf = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error: error as AmiError }),
  );

describe('AmiClient against an AMI server on 127.0.0.1', () => {
  let server: FakeAsterisk;
  const clients: AmiClient[] = [];

  beforeEach(async () => {
    server = await FakeAsterisk.start();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop()));
    await server.close();
  });

  /** A started client with its events and lifecycle calls recorded. */
  function connect(options: Partial<AmiClientOptions> = {}) {
    const client = new AmiClient({
      host: '127.0.0.1',
      port: server.port,
      username: 'okc',
      secret: 'right-secret',
      pingIntervalMs: 0,
      reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
      ...options,
    });
    clients.push(client);
    const seen = {
      events: [] as AmiMessage[],
      connected: 0,
      disconnected: [] as AmiError[],
      authFailed: [] as string[],
    };
    client.on('event', (m) => seen.events.push(m));
    client.on('connected', () => seen.connected++);
    client.on('disconnected', ({ reason }) => seen.disconnected.push(reason));
    client.on('auth-failed', ({ reason }) => seen.authFailed.push(reason));
    client.start();
    return { client, seen };
  }

  const connected = async (options: Partial<AmiClientOptions> = {}) => {
    const started = connect(options);
    await waitFor('connected', () => started.client.status.state === 'connected');
    return started;
  };

  it('logs in with the MD5 challenge and reports connected', async () => {
    const { client, seen } = await connected();
    const [challenge, login] = server.actions;
    expect(challenge?.headers).toMatchObject({ action: 'Challenge', authtype: 'MD5' });
    expect(login?.headers).toMatchObject({ action: 'Login', username: 'okc', authtype: 'MD5', events: 'on' });
    const nonce = server.connections[0]!.nonce;
    expect(nonce).toMatch(/^\d{9}$/);
    expect(login?.headers.key).toBe(createHash('md5').update(`${nonce}right-secret`).digest('hex'));
    expect(login?.headers).not.toHaveProperty('secret');
    expect(seen.connected).toBe(1);
    expect(client.status).toMatchObject({
      state: 'connected',
      banner: 'Asterisk Call Manager/11.0.0',
      lastError: null,
      counters: expect.objectContaining({ connects: 1, authFailures: 0 }),
    });
    await waitFor('FullyBooted', () => seen.events.some((e) => e.headers.event === 'FullyBooted'));
    expect(client.status.lastEventAt).not.toBeNull();
  });

  it('on a wrong secret reports auth-failed and waits long before trying again', async () => {
    const delays: number[] = [];
    const timers: AmiTimers = {
      setTimeout: (callback, ms) => {
        delays.push(ms);
        return setTimeout(callback, ms);
      },
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    };
    // A regular reconnect would come after at most 1 ms here: only the auth-failure delay keeps it away.
    const { client, seen } = connect({
      secret: 'wrong',
      timers,
      reconnect: { initialDelayMs: 1, maxDelayMs: 1 },
    });
    await waitFor(
      'auth-failed',
      () => client.status.state === 'auth-failed' && client.status.nextReconnectAt !== null,
    );
    expect(seen.authFailed).toEqual(['Authentication failed']);
    expect(seen.connected).toBe(0);
    expect(client.status.lastError).toMatchObject({ code: 'AUTH_FAILED', message: 'Authentication failed' });
    expect(client.status.nextReconnectDelayMs).toBeGreaterThanOrEqual(60_000);
    expect(delays.filter((ms) => ms >= 60_000)).toHaveLength(1);
    // Let the event loop turn many times: a tight loop would have opened more connections by now.
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    await waitFor('the refused socket closed', () => server.connections.every((c) => c.socket.destroyed));
    expect(server.connections).toHaveLength(1);
    expect(client.status.counters.authFailures).toBe(1);
    await expect(client.send({ Action: 'Ping' })).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
  });

  it('retries after the auth-failure delay and logs in once the secret is right', async () => {
    const { client, seen } = connect({ secret: 'wrong', reconnect: { authFailedDelayMs: 30 } });
    await waitFor('two refusals', () => client.status.counters.authFailures >= 2);
    server.secret = 'wrong';
    await waitFor('connected', () => client.status.state === 'connected');
    expect(seen.connected).toBe(1);
    expect(seen.authFailed.length).toBeGreaterThanOrEqual(2);
  });

  it('matches out-of-order responses by ActionID', async () => {
    const { client } = await connected();
    const held: AmiMessage[] = [];
    server.onAction = (action, connection) => {
      held.push(action);
      if (held.length < 3) return;
      for (const a of [held[2]!, held[0]!, held[1]!]) {
        connection.reply(a, { Response: 'Success', Value: a.headers.key });
      }
    };
    const results = await Promise.all(
      ['a', 'b', 'c'].map((key) => client.send({ Action: 'DBGet', Family: 'DAYNIGHT', Key: key })),
    );
    expect(results.map((r) => r.headers.value)).toEqual(['a', 'b', 'c']);
    expect(new Set(held.map((a) => a.headers.actionid)).size).toBe(3);
  });

  it('replaces a caller-given ActionID with its own', async () => {
    const { client } = await connected();
    const response = await client.send({
      Action: 'Setvar',
      ActionID: 'mine',
      actionid: 'mine2',
      Variable: 'X',
    });
    const sent = server.actionsNamed('Setvar')[0]!;
    expect(sent.repeated).toBeNull();
    expect(sent.headers.actionid).not.toMatch(/^mine/);
    expect(response.headers.actionid).toBe(sent.headers.actionid);
  });

  it('rejects Response: Error with ACTION_FAILED and the response attached', async () => {
    const { client } = await connected();
    server.onAction = (action, connection) =>
      connection.reply(action, { Response: 'Error', Message: 'Database entry not found' });
    const outcome = await settleOf(client.send({ Action: 'DBGet', Family: 'DAYNIGHT', Key: 'C0' }));
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error).toBeInstanceOf(AmiError);
    expect(!outcome.ok && outcome.error.code).toBe('ACTION_FAILED');
    expect(!outcome.ok && outcome.error.response?.headers.message).toBe('Database entry not found');
  });

  it('a timeout rejects only that action; its late response is ignored', async () => {
    const { client } = await connected();
    let slow: AmiMessage | undefined;
    server.onAction = (action, connection) => {
      if (action.headers.action === 'Slow') slow = action;
      else connection.reply(action, { Response: 'Success', Message: 'fast' });
    };
    const slowOutcome = settleOf(client.send({ Action: 'Slow' }, { timeoutMs: 100 }));
    const fast = await client.send({ Action: 'Fast' });
    expect(fast.headers.message).toBe('fast');
    const outcome = await slowOutcome;
    expect(!outcome.ok && outcome.error.code).toBe('ACTION_TIMEOUT');
    expect(client.status.counters.actionTimeouts).toBe(1);
    server.live!.reply(slow!, { Response: 'Success', Message: 'too late' });
    await waitFor('late response seen', () => client.status.counters.unmatchedResponses === 1);
    expect(client.status.state).toBe('connected');
    expect((await client.send({ Action: 'Fast' })).headers.message).toBe('fast');
  });

  it('collects a QueueStatus list while other events still reach the listener', async () => {
    const { client, seen } = await connected();
    await waitFor('FullyBooted', () => seen.events.length === 1);
    server.onAction = (action, connection) => {
      const id = action.headers.actionid;
      connection.reply(action, {
        Response: 'Success',
        EventList: 'start',
        Message: 'Queue status will follow',
      });
      connection.write({ Event: 'QueueParams', Queue: 'support', Max: 0, Strategy: 'linear', ActionID: id });
      connection.write({ Event: 'Newchannel', Channel: 'Local/79160000001@callers-00000035;1' });
      connection.write({
        Event: 'QueueMember',
        Queue: 'support',
        Name: 'Agent 101',
        Paused: 1,
        ActionID: id,
      });
      connection.write({
        Event: 'QueueMember',
        Queue: 'support',
        Name: 'Agent 102',
        Paused: 0,
        ActionID: id,
      });
      connection.write({ Event: 'QueueEntry', Queue: 'support', Position: 1, ActionID: id });
      connection.write({ Event: 'QueueStatusComplete', EventList: 'Complete', ListItems: 4, ActionID: id });
      connection.write({ Event: 'Hangup', Channel: 'Local/79160000001@callers-00000035;1' });
    };
    const list = await client.sendList({ Action: 'QueueStatus', Queue: 'support' });
    expect(list.response.headers.eventlist).toBe('start');
    expect(list.events.map((e) => e.headers.event)).toEqual([
      'QueueParams',
      'QueueMember',
      'QueueMember',
      'QueueEntry',
    ]);
    expect(list.events.map((e) => e.headers.name).filter(Boolean)).toEqual(['Agent 101', 'Agent 102']);
    expect(list.complete?.headers).toMatchObject({ event: 'QueueStatusComplete', listitems: '4' });
    await waitFor('Hangup after the list', () => seen.events.some((e) => e.headers.event === 'Hangup'));
    expect(seen.events.map((e) => e.headers.event)).toEqual(['FullyBooted', 'Newchannel', 'Hangup']);
  });

  it('resolves an empty list and rejects a refused one', async () => {
    const { client, seen } = await connected();
    server.onAction = (action, connection) => {
      if (action.headers.action === 'QueueStatus') {
        return connection.reply(action, { Response: 'Error', Message: 'No such queue' });
      }
      connection.reply(action, { Response: 'Success', EventList: 'start', Message: 'Channels will follow' });
      connection.reply(action, { Event: 'CoreShowChannelsComplete', EventList: 'Complete', ListItems: 0 });
    };
    const empty = await client.sendList({ Action: 'CoreShowChannels' });
    expect(empty.events).toEqual([]);
    expect(empty.complete?.headers.event).toBe('CoreShowChannelsComplete');
    await expect(client.sendList({ Action: 'QueueStatus', Queue: 'nope' })).rejects.toMatchObject({
      code: 'ACTION_FAILED',
    });
    expect(seen.events.map((e) => e.headers.event)).toEqual(['FullyBooted']);
  });

  it('keeps the events of a timed-out list away from the listener', async () => {
    const { client, seen } = await connected();
    let listAction: AmiMessage | undefined;
    server.onAction = (action) => {
      listAction = action;
    };
    await expect(client.sendList({ Action: 'QueueStatus' }, { timeoutMs: 50 })).rejects.toMatchObject({
      code: 'ACTION_TIMEOUT',
    });
    const id = listAction!.headers.actionid;
    const live = server.live!;
    live.write({ Response: 'Success', EventList: 'start', ActionID: id });
    live.write({ Event: 'QueueMember', Name: 'late', ActionID: id });
    live.write({ Event: 'QueueStatusComplete', EventList: 'Complete', ActionID: id });
    live.write({ Event: 'Marker' });
    await waitFor('marker', () => seen.events.some((e) => e.headers.event === 'Marker'));
    expect(seen.events.map((e) => e.headers.event)).toEqual(['FullyBooted', 'Marker']);
  });

  it('delivers a burst of events in order', async () => {
    const { seen } = await connected();
    const burst = Array.from({ length: 20_000 }, (_, i) =>
      formatAmiMessage({ Event: 'VarSet', Variable: 'N', Value: i, Uniqueid: '1795637069.106' }),
    ).join('');
    server.live!.socket.write(burst);
    await waitFor('burst', () => seen.events.length === 20_001);
    expect(seen.events.slice(1).every((e, i) => e.headers.value === String(i))).toBe(true);
  });

  it('reconnects with backoff after the server drops it, and reports connected again', async () => {
    const delays: number[] = [];
    const timers: AmiTimers = {
      setTimeout: (callback, ms) => {
        delays.push(ms);
        return setTimeout(callback, ms);
      },
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    };
    const { client, seen } = await connected({
      timers,
      random: () => 0.5,
      reconnect: { initialDelayMs: 40, maxDelayMs: 100, stableAfterMs: 60_000 },
    });
    server.onAction = () => undefined; // never answers: the drop must reject it
    const pendingAction = settleOf(client.send({ Action: 'Slow' }, { timeoutMs: 60_000 }));
    await waitFor('action received', () => server.actionsNamed('Slow').length === 1);

    for (let drop = 1; drop <= 3; drop++) {
      const before = server.connections.length;
      server.dropAll();
      await waitFor(`reconnected after drop ${drop}`, () => seen.connected === drop + 1);
      expect(server.connections.length).toBeGreaterThan(before);
    }
    const outcome = await pendingAction;
    expect(!outcome.ok && outcome.error.code).toBe('DISCONNECTED');
    expect(seen.disconnected).toHaveLength(3);
    // A FIN or, if the server had unread bytes, a reset.
    expect(['DISCONNECTED', 'SOCKET_ERROR']).toContain(seen.disconnected[0]?.code);
    // Connections shorter than stableAfterMs keep the attempt count: the jittered bound doubles, capped.
    expect(delays.filter((ms) => ms === 20 || ms === 40 || ms === 50)).toEqual([20, 40, 50]);
    expect(client.status.reconnectAttempt).toBe(3);
    expect(client.status.counters).toMatchObject({ connects: 4, disconnects: 3 });

    server.broadcast({ Event: 'AfterReconnect' });
    await waitFor('event after reconnect', () =>
      seen.events.some((e) => e.headers.event === 'AfterReconnect'),
    );
  });

  it('keeps trying while the server is down', async () => {
    const { client, seen } = await connected();
    const port = server.port;
    await server.close();
    await waitFor('several failed attempts', () => client.status.reconnectAttempt >= 3);
    expect(client.status.state).not.toBe('connected');
    expect(client.status.lastError?.code).toBe('SOCKET_ERROR');
    expect(seen.disconnected).toHaveLength(1);
    // Back on the same port: the next attempt logs in.
    server = await FakeAsterisk.start(port);
    await waitFor('connected again', () => seen.connected === 2);
    expect(client.status.state).toBe('connected');
  });

  it('pings while idle, and a missing Pong closes and reconnects', async () => {
    const { client, seen } = await connected({ pingIntervalMs: 30, pingTimeoutMs: 1000 });
    await waitFor('three pings answered', () => server.actionsNamed('Ping').length >= 3);
    expect(client.status.counters.pingTimeouts).toBe(0);
    server.answerPings = false;
    await waitFor('ping timeout', () => client.status.counters.pingTimeouts === 1);
    expect(client.status.lastError?.code).toBe('PING_TIMEOUT');
    server.answerPings = true;
    await waitFor('connected again', () => seen.connected === 2 && client.status.state === 'connected');
    expect(seen.disconnected[0]?.code).toBe('PING_TIMEOUT');
  });

  it('gives up a handshake that never completes and tries again', async () => {
    server.sendBanner = false;
    const { client } = connect({ connectTimeoutMs: 300 });
    await waitFor('second attempt', () => server.connections.length >= 2);
    expect(client.status.lastError?.code).toBe('HANDSHAKE_TIMEOUT');
    expect(client.status.counters.connects).toBe(0);
    server.sendBanner = true;
    await waitFor('connected', () => client.status.state === 'connected');
  });

  it('refuses a value with a line break without sending anything', async () => {
    const { client } = await connected();
    const before = server.actions.length;
    await expect(client.send({ Action: 'Setvar', Value: 'x\r\nAction: Hangup' })).rejects.toThrow(
      /line break/,
    );
    await client.send({ Action: 'Ping' });
    expect(server.actions.slice(before).map((a) => a.headers.action)).toEqual(['Ping']);
  });

  it('keeps reading when a listener throws', async () => {
    const listenerErrors: unknown[] = [];
    const { client, seen } = await connected({ onListenerError: (e) => listenerErrors.push(e) });
    client.on('event', (m) => {
      if (m.headers.event === 'Boom') throw new Error('consumer bug');
    });
    server.live!.write({ Event: 'Boom' });
    server.live!.write({ Event: 'After' });
    await waitFor('After', () => seen.events.some((e) => e.headers.event === 'After'));
    expect(listenerErrors).toEqual([new Error('consumer bug')]);
    expect(client.status.counters.listenerErrors).toBe(1);
    expect(client.status.state).toBe('connected');
  });

  it('stop() logs off, rejects pending actions and stops reconnecting', async () => {
    const { client, seen } = await connected();
    server.onAction = () => undefined;
    const pendingAction = settleOf(client.send({ Action: 'Slow' }));
    await waitFor('action received', () => server.actionsNamed('Slow').length === 1);
    await client.stop();
    const outcome = await pendingAction;
    expect(!outcome.ok && outcome.error.code).toBe('DISCONNECTED');
    expect(server.actionsNamed('Logoff')).toHaveLength(1);
    expect(client.status.state).toBe('disconnected');
    expect(client.status.nextReconnectAt).toBeNull();
    expect(seen.disconnected).toHaveLength(1);
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(server.connections).toHaveLength(1);
    await expect(client.send({ Action: 'Ping' })).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
  });
});
