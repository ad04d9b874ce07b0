import { createHash } from 'node:crypto';
import { fixedInboundPlan } from '../src/engine/plans';
import { BANNER } from '../src/server/ami-server';
import { startSimulator, startSimulators, type SimulatorHandle } from '../src/simulator';
import { AmiTestClient } from '../src/testing/ami-test-client';

// The AMI protocol over real TCP on 127.0.0.1: banner, login, the session actions, who gets events.

let sim: SimulatorHandle;
const clients: AmiTestClient[] = [];

async function client(): Promise<AmiTestClient> {
  const c = await AmiTestClient.connect(sim.port);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    username: 'okc',
    secret: 's3cret',
    callsPerHour: 0,
    profile: { internalCallsPerHour: 0, outboundCallsPerHour: 0, pausesPerAgentHour: 0 },
    agents: 3,
  });
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

afterAll(async () => {
  await sim.stop();
});

describe('AMI session', () => {
  it('greets with the banner of Asterisk 22', async () => {
    const c = await client();
    expect(c.banner).toBe(BANNER);
    expect(BANNER).toBe('Asterisk Call Manager/11.0.0');
  });

  it('logs in with an MD5 challenge, then sends FullyBooted and SuccessfulAuth', async () => {
    const c = await client();
    const challenge = await c.action({ Action: 'Challenge', AuthType: 'MD5', ActionID: 'c-1' });
    expect(challenge.headers).toMatchObject({ response: 'Success', actionid: 'c-1' });
    expect(challenge.headers['challenge']).toMatch(/^\d+$/);
    const key = createHash('md5').update(`${challenge.headers['challenge']}s3cret`).digest('hex');
    const login = await c.action({
      Action: 'Login',
      Username: 'okc',
      AuthType: 'MD5',
      Key: key,
      ActionID: 'c-2',
    });
    expect(login.headers).toEqual({
      response: 'Success',
      actionid: 'c-2',
      message: 'Authentication accepted',
    });
    expect((await c.find((m) => m.headers['event'] === 'FullyBooted')).headers['privilege']).toBe(
      'system,all',
    );
    const auth = await c.find((m) => m.headers['event'] === 'SuccessfulAuth');
    expect(auth.headers).toMatchObject({ privilege: 'security,all', accountid: 'okc', usingpassword: '0' });
    expect(auth.headers['timestamp']).toMatch(/^\d+\.\d{6}$/);
  });

  it('logs in with a plaintext Secret', async () => {
    const c = await client();
    const login = await c.action({ Action: 'Login', Username: 'okc', Secret: 's3cret' });
    expect(login.headers['message']).toBe('Authentication accepted');
  });

  it('answers a wrong secret with Authentication failed and closes the connection', async () => {
    const c = await client();
    const login = await c.loginMd5('okc', 'wrong');
    expect(login.headers).toMatchObject({ response: 'Error', message: 'Authentication failed' });
    await c.waitClosed();
    expect(c.closed).toBe(true);
  });

  it('refuses an unknown user the same way', async () => {
    const c = await client();
    const login = await c.action({ Action: 'Login', Username: 'nobody', Secret: 's3cret' });
    expect(login.headers).toMatchObject({ response: 'Error', message: 'Authentication failed' });
    await c.waitClosed();
  });

  it('refuses actions before login', async () => {
    const c = await client();
    const ping = await c.action({ Action: 'Ping', ActionID: 'early' });
    expect(ping.headers).toEqual({ response: 'Error', actionid: 'early', message: 'Permission denied' });
  });

  it('answers Ping with Pong and a timestamp, echoing the ActionID', async () => {
    const c = await client();
    await c.loginMd5('okc', 's3cret');
    const pong = await c.action({ Action: 'Ping', ActionID: 'p-7' });
    expect(Object.keys(pong.headers)).toEqual(['response', 'actionid', 'ping', 'timestamp']);
    expect(pong.headers).toMatchObject({ response: 'Success', actionid: 'p-7', ping: 'Pong' });
    expect(pong.headers['timestamp']).toMatch(/^\d+\.\d{6}$/);
  });

  it('answers an unknown action and a message without Action', async () => {
    const c = await client();
    await c.loginMd5('okc', 's3cret');
    const unknown = await c.action({ Action: 'MakeCoffee', ActionID: 'u-1' });
    expect(unknown.headers['response']).toBe('Error');
    expect(unknown.headers['message']).toMatch(/^Invalid\/unknown command: MakeCoffee\./);
    const missing = await c.action({ Foo: 'bar', ActionID: 'u-2' });
    expect(missing.headers).toMatchObject({ response: 'Error', message: 'Missing action in request' });
  });

  it('says Goodbye on Logoff and closes', async () => {
    const c = await client();
    await c.loginMd5('okc', 's3cret');
    const bye = await c.action({ Action: 'Logoff', ActionID: 'bye' });
    expect(bye.headers).toEqual({
      response: 'Goodbye',
      actionid: 'bye',
      message: 'Thanks for all the fish.',
    });
    await c.waitClosed();
  });

  it('sends a call’s events to every logged-in client, none to others, and honours Events filters', async () => {
    const a = await client();
    const b = await client();
    const quiet = await client();
    const anonymous = await client();
    const agentOnly = await client();
    await a.loginMd5('okc', 's3cret');
    await b.loginMd5('okc', 's3cret');
    await quiet.loginMd5('okc', 's3cret', { Events: 'off' });
    await agentOnly.loginMd5('okc', 's3cret');
    const filtered = await agentOnly.action({ Action: 'Events', EventMask: 'agent' });
    expect(filtered.headers['events']).toBe('On');
    sim.engine.traffic.inbound(fixedInboundPlan({ callerNum: '79990001122', patienceSec: 0.2 }));
    const joinA = await a.next((m) => m.headers['event'] === 'QueueCallerJoin');
    const joinB = await b.next((m) => m.headers['event'] === 'QueueCallerJoin');
    expect(joinA.headers['uniqueid']).toBe(joinB.headers['uniqueid']);
    expect(joinA.headers['privilege']).toBe('agent,all');
    await a.next((m) => m.headers['event'] === 'Hangup' && m.headers['calleridnum'] === '79990001122');
    for (const c of [quiet, anonymous, agentOnly]) await c.action({ Action: 'Ping' });
    expect(quiet.events().filter((m) => m.headers['calleridnum'] === '79990001122')).toHaveLength(0);
    expect(anonymous.events()).toHaveLength(0);
    const classes = new Set(agentOnly.events('QueueCallerJoin').map((m) => m.headers['privilege']));
    expect(agentOnly.events('QueueCallerJoin')).toHaveLength(1);
    expect(agentOnly.events('Newchannel')).toHaveLength(0);
    expect([...classes]).toEqual(['agent,all']);
  });
});

it('runs one simulator per tenant, each on its own port with its own user', async () => {
  const sims = await startSimulators([
    { tenant: 'alpha', port: 0, seed: 1, username: 'alpha', secret: 'a', callsPerHour: 0 },
    { tenant: 'beta', port: 0, seed: 2, username: 'beta', secret: 'b', callsPerHour: 0 },
  ]);
  try {
    expect(new Set(sims.map((s) => s.port)).size).toBe(2);
    const beta = await AmiTestClient.connect(sims[1]!.port);
    clients.push(beta);
    expect((await beta.loginMd5('alpha', 'a')).headers['response']).toBe('Error');
    const again = await AmiTestClient.connect(sims[1]!.port);
    clients.push(again);
    expect((await again.loginMd5('beta', 'b')).headers['response']).toBe('Success');
  } finally {
    await Promise.all(sims.map((s) => s.stop()));
  }
});

it('stops as Asterisk does: every event already sent is delivered, then Shutdown, then an orderly close', async () => {
  const own = await startSimulator({ port: 0, username: 'okc', secret: 's', callsPerHour: 0 });
  const c = await AmiTestClient.connect(own.port);
  clients.push(c);
  try {
    await c.loginMd5('okc', 's');
    // More than the kernel buffers hold while the client is not reading: most of it still waits in the
    // simulator's process when it is told to stop.
    c.pause();
    const burst = 20_000;
    for (let i = 0; i < burst; i++) {
      own.engine.pbx.emit({
        name: 'UserEvent',
        cls: 'user',
        fields: { UserEvent: 'Burst', Seq: i, Pad: 'x'.repeat(200) },
      });
    }
    const stopping = own.stop();
    c.resume();
    await stopping;
    await c.waitClosed();
    expect(c.error).toBeNull();
    const seqs = c.events('UserEvent').map((m) => Number(m.headers['seq']));
    expect(seqs).toHaveLength(burst);
    expect(seqs[burst - 1]).toBe(burst - 1);
    const last = c.messages.at(-1)!;
    expect(last.headers).toMatchObject({ event: 'Shutdown', shutdown: 'Cleanly', restart: 'False' });
  } finally {
    await own.stop();
  }
});
