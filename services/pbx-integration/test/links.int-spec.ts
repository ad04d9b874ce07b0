import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseAmiTranscript } from '@okc/ami';
import { FakeAsterisk } from '@okc/ami/testing';
import { TOPICS } from '@okc/contracts';
import { makeEvent, testKafka, waitFor } from '@okc/testing';
import { LinkManager } from '../src/links/link-manager';
import { createNormalizer } from '../src/normalizer';
import { type PbxHarness, startPbxHarness } from './support/pbx-harness';

const FIXTURES = path.join(__dirname, '../../../fixtures/asterisk-22');
/** A recorded transcript without its banner line: the events, as the PBX would send them now. */
const eventsOf = (name: string) => {
  const bytes = readFileSync(path.join(FIXTURES, name));
  return bytes.subarray(bytes.indexOf(0x0a) + 1);
};

interface Status {
  state: string;
  authenticated: boolean;
  lastError: { message: string } | null;
}

/**
 * The live side on real parts: an AMI server on 127.0.0.1 (FakeAsterisk replaying the real Asterisk 22
 * transcripts), the PbxLink with its normalizer, and the FactWriter writing to the real MariaDB outbox.
 */
describe('pbx-integration: live PBX links', () => {
  let h: PbxHarness;
  let pbx: FakeAsterisk;
  let admin: string;
  /** The fake PBX's AstDB and globals, as DBPut and Setvar leave them. */
  const astdb = new Map<string, string>();
  const globals = new Map<string, string>();

  beforeAll(async () => {
    pbx = await FakeAsterisk.start();
    pbx.onAction = (action, connection) => {
      const { family, key } = action.headers;
      switch (action.headers.action ?? '') {
        case 'DBPut':
          astdb.set(`${family}/${key}`, action.headers.val ?? '');
          return connection.reply(action, { Response: 'Success', Message: 'Updated database successfully' });
        case 'DBGet': {
          const val = astdb.get(`${family}/${key}`);
          if (val === undefined)
            return connection.reply(action, { Response: 'Error', Message: 'Database entry not found' });
          connection.reply(action, {
            Response: 'Success',
            EventList: 'start',
            Message: 'Result will follow',
          });
          connection.reply(action, { Event: 'DBGetResponse', Family: family, Key: key, Val: val });
          return connection.reply(action, { Event: 'DBGetComplete', EventList: 'Complete', ListItems: 1 });
        }
        case 'Setvar':
          globals.set(action.headers.variable ?? '', action.headers.value ?? '');
          return connection.reply(action, { Response: 'Success', Message: 'Variable Set' });
        case 'Originate':
          return connection.reply(action, { Response: 'Success', Message: 'Originate successfully queued' });
        case 'QueuePause':
          return connection.reply(action, { Response: 'Success', Message: 'Interface paused successfully' });
        case 'QueueAdd':
          return connection.reply(action, {
            Response: 'Error',
            Message: 'Unable to add interface: Already there',
          });
        default:
          break;
      }
      if (action.headers.action !== 'QueueStatus') return connection.reply(action, { Response: 'Success' });
      connection.reply(action, {
        Response: 'Success',
        EventList: 'start',
        Message: 'Queue status will follow',
      });
      connection.reply(action, {
        Event: 'QueueMember',
        Queue: 'support',
        Name: 'Agent 102',
        Location: 'Local/102@agents/n',
        StateInterface: 'Custom:102',
        Membership: 'dynamic',
        Penalty: 0,
        CallsTaken: 0,
        LastCall: 0,
        LastPause: 0,
        LoginTime: 1764140000,
        InCall: 0,
        Status: 1,
        Paused: 1,
        PausedReason: 'meeting',
        Wrapuptime: 0,
      });
      connection.reply(action, { Event: 'QueueStatusComplete', EventList: 'Complete', ListItems: 1 });
    };
    h = await startPbxHarness();
    admin = await h.issuer.mint({ sub: 'boss', tenant: 'acme', roles: ['admin'] });
  });

  afterAll(async () => {
    await h?.close();
    await pbx?.close();
  });

  async function addConnection(name: string, secret: string): Promise<string> {
    const res = await fetch(`${h.url}/api/v1/pbx/connections`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name,
        host: '127.0.0.1',
        port: pbx.port,
        username: 'okc',
        secret,
        directionRules: { inboundContexts: ['from-trunk'] },
      }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    await h.app.get(LinkManager).reconcile();
    return id;
  }

  async function statusOf(id: string): Promise<Status> {
    const res = await fetch(`${h.url}/api/v1/pbx/connections/${id}`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    return ((await res.json()) as { status: Status }).status;
  }

  async function outbox(): Promise<{ type: string; key: string }[]> {
    const rows = await h.db.query<{ event_type: string; message_key: string }[]>(
      "SELECT event_type, message_key FROM outbox WHERE tenant_id = 'acme' AND topic LIKE 'telephony.%' ORDER BY id",
    );
    return rows.map((r) => ({ type: r.event_type, key: r.message_key }));
  }

  let connectionId: string;

  it('connects, logs in, and re-reads the queue members (a pause missed while away becomes a fact)', async () => {
    connectionId = await addConnection('Main', 'right-secret');
    await waitFor(
      'the link to log in',
      async () => (await statusOf(connectionId)).authenticated || undefined,
    );
    await waitFor('the QueueStatus re-sync', () => pbx.actionsNamed('QueueStatus').length > 0 || undefined);
    const paused = await waitFor('the member facts', async () => {
      const events = await outbox();
      return events.some((e) => e.type === 'member.paused') ? events : undefined;
    });
    expect(paused.filter((e) => e.type === 'member.paused')).toEqual([
      { type: 'member.paused', key: 'acme:Local/102@agents/n' },
    ]);
  });

  it('turns a real answered call into its canonical events, each once, in the outbox', async () => {
    const before = (await outbox()).length;
    pbx.broadcastRaw(eventsOf('answered.ami'));
    // What the normalizer alone makes of the same bytes: the link and the writer must lose and double nothing.
    const normalizer = createNormalizer({
      tenantId: 'acme',
      connectionId,
      directionRules: { trunkChannelPatterns: [], inboundContexts: ['from-trunk'] },
    });
    const expected = parseAmiTranscript(eventsOf('answered.ami'))
      .messages.flatMap((m) => normalizer.push(m, new Date()))
      .concat(normalizer.tick(new Date(Date.now() + 60_000)))
      .filter((f) => f.topic === 'telephony.calls.v1')
      .map((f) => f.type);
    expect(expected).toEqual(
      expect.arrayContaining(['call.started', 'call.queued', 'call.answered', 'call.ended']),
    );
    const calls = await waitFor('the call events', async () => {
      const events = (await outbox()).slice(before).filter((e) => e.type.startsWith('call.'));
      return events.length >= expected.length ? events : undefined;
    });
    expect(calls.map((e) => e.type).sort()).toEqual([...expected].sort());
    expect(new Set(calls.map((e) => e.key)).size).toBe(1); // one call id, the Linkedid
  });

  it('writes nothing twice, even from a restarted link that has forgotten the call', async () => {
    const before = await outbox();
    // A changed connection restarts its link: a fresh normalizer that would report the answered call anew.
    const res = await fetch(`${h.url}/api/v1/pbx/connections/${connectionId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Main (renamed)' }),
    });
    expect(res.status).toBe(200);
    await h.app.get(LinkManager).reconcile();
    await waitFor(
      'the restarted link to log in',
      async () => (await statusOf(connectionId)).authenticated || undefined,
    );
    pbx.broadcastRaw(eventsOf('answered.ami'));
    pbx.broadcastRaw(eventsOf('abandoned.ami'));
    // The abandoned call is new; the answered one was written already.
    const after = await waitFor('the abandoned call', async () => {
      const events = await outbox();
      return events.some(
        (e) => e.type === 'call.left-queue' && e.key !== before.find((b) => b.type === 'call.ended')?.key,
      )
        ? events
        : undefined;
    });
    const answeredKey = before.find((e) => e.type === 'call.ended')!.key;
    expect(after.filter((e) => e.key === answeredKey)).toEqual(before.filter((e) => e.key === answeredKey));
  });

  it('reconnects after the PBX drops the connection, and re-syncs', async () => {
    const resyncs = pbx.actionsNamed('QueueStatus').length;
    pbx.dropAll();
    await waitFor(
      'the link to notice',
      async () => !(await statusOf(connectionId)).authenticated || undefined,
    );
    await waitFor(
      'the link to log in again',
      async () => (await statusOf(connectionId)).authenticated || undefined,
      30_000,
    );
    await waitFor('a second re-sync', () => pbx.actionsNamed('QueueStatus').length > resyncs || undefined);
    expect((await statusOf(connectionId)).lastError?.message).toMatch(/Connection lost/);
  });

  it('pushes an operating mode to the PBX as FreePBX does, reads it back, and again after a reconnect', async () => {
    const supervisor = await h.issuer.mint({ sub: 'sue', tenant: 'acme', roles: ['supervisor'] });
    const modes = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${h.url}/api/v1/pbx/modes${path}`, {
        method,
        headers: { authorization: `Bearer ${supervisor}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return (await res.json()) as {
        current: { mode: string; pbx: { applied: boolean; readBack: Record<string, string> }[] };
      };
    };
    const night = await modes('PUT', '/override', { mode: 'night', until: null });
    expect(night.current.mode).toBe('night');
    expect(astdb.get('DAYNIGHT/C0')).toBe('NIGHT');
    expect(globals.get('DEVICE_STATE(Custom:DAYNIGHT0)')).toBe('INUSE');
    expect(night.current.pbx).toEqual([
      expect.objectContaining({ applied: true, readBack: { C0: 'NIGHT' } }),
    ]);
    const day = await modes('DELETE', '/override');
    expect(day.current.mode).toBe('day');
    expect(astdb.get('DAYNIGHT/C0')).toBe('DAY');
    expect(globals.get('DEVICE_STATE(Custom:DAYNIGHT0)')).toBe('NOT_INUSE');
    // Someone flips the toggle on the PBX itself; after a reconnect OKC's mode is pushed again.
    astdb.set('DAYNIGHT/C0', 'NIGHT');
    pbx.dropAll();
    await waitFor(
      'the mode to be pushed again',
      () => astdb.get('DAYNIGHT/C0') === 'DAY' || undefined,
      30_000,
    );
  });

  it('executes commands through AMI, once per commandId, answering with the PBX’s own message', async () => {
    const integrator = await h.issuer.mint({ sub: 'crm', tenant: 'acme', roles: ['integrator'] });
    const click = (body: unknown, token = integrator) =>
      fetch(`${h.url}/api/v1/pbx/commands`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const statusOfCommand = async (id: string, token = integrator) => {
      const res = await fetch(`${h.url}/api/v1/pbx/commands/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return {
        status: res.status,
        body: (await res.json()) as { status: string; code: string | null; message: string | null },
      };
    };
    const commandId = '0f8b8f0e-7a44-4b6a-9a9e-2d1c7b0e5a11';
    const accepted = await click({ commandId, from: 'PJSIP/101', to: '+74951234567', callerId: 'CRM' });
    expect(accepted.status).toBe(202);
    const done = await waitFor('the click-to-call', async () => {
      const s = await statusOfCommand(commandId);
      return s.body.status === 'pending' ? undefined : s.body;
    });
    expect(done).toMatchObject({ status: 'succeeded', message: 'Originate successfully queued' });
    const [originate] = pbx.actionsNamed('Originate');
    expect(originate?.headers).toMatchObject({
      channel: 'PJSIP/101',
      exten: '+74951234567',
      context: 'from-internal',
      async: 'true',
      callerid: 'CRM',
    });
    // The same request again dials nothing more.
    expect((await click({ commandId, from: 'PJSIP/101', to: '+74951234567' })).status).toBe(202);
    // Another tenant cannot see it; bad input is named.
    const globex = await h.issuer.mint({ sub: 'g', tenant: 'globex', roles: ['integrator'] });
    expect((await statusOfCommand(commandId, globex)).status).toBe(404);
    const bad = await click({ from: 'PJSIP/101', to: 'call me' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { details: { field: string }[] }).details.map((d) => d.field)).toEqual([
      'to',
    ]);

    // Commands from OKC itself arrive on Kafka: a pause, a refused queue add, an expired one.
    const producer = testKafka(h.infra).producer();
    await producer.connect();
    try {
      const send = async (type: 'queue-pause' | 'queue-add', data: Record<string, unknown>) => {
        const event = makeEvent(TOPICS.pbxCommands, type, { tenantId: 'acme', data: data as never });
        await producer.send({
          topic: `${h.env.KAFKA_TOPIC_PREFIX}${TOPICS.pbxCommands}`,
          acks: -1,
          messages: [{ key: 'acme', value: JSON.stringify(event), headers: { 'event-id': event.id } }],
        });
        return (event.data as { commandId: string }).commandId;
      };
      const soon = new Date(Date.now() + 60_000).toISOString();
      const pause = await send('queue-pause', {
        commandId: '1f8b8f0e-7a44-4b6a-9a9e-2d1c7b0e5a11',
        expiresAt: soon,
        interface: 'Local/101@agents/n',
        queue: 'support',
        paused: true,
        reason: 'lunch',
      });
      const add = await send('queue-add', {
        commandId: '2f8b8f0e-7a44-4b6a-9a9e-2d1c7b0e5a11',
        expiresAt: soon,
      });
      const late = await send('queue-pause', {
        commandId: '3f8b8f0e-7a44-4b6a-9a9e-2d1c7b0e5a11',
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      });
      const results = await waitFor('three results', async () => {
        const rows = await h.db.query<{ payload: string }[]>(
          "SELECT payload FROM outbox WHERE tenant_id = 'acme' AND topic = ? ORDER BY id",
          [TOPICS.pbxCommandResults],
        );
        const data = rows.map(
          (r) => JSON.parse(r.payload) as { type: string; data: Record<string, unknown> },
        );
        return [pause, add, late].every((id) => data.some((d) => d.data.commandId === id)) ? data : undefined;
      });
      const resultOf = (id: string) => results.find((r) => r.data.commandId === id);
      expect(resultOf(pause)).toMatchObject({
        type: 'command.succeeded',
        data: { command: 'queue-pause', pbxMessage: 'Interface paused successfully' },
      });
      expect(resultOf(add)).toMatchObject({
        type: 'command.failed',
        data: { code: 'PBX_ERROR', reason: 'Unable to add interface: Already there' },
      });
      expect(resultOf(late)).toMatchObject({ type: 'command.failed', data: { code: 'EXPIRED' } });
      expect(pbx.actionsNamed('QueuePause').map((a) => a.headers)).toEqual([
        expect.objectContaining({
          interface: 'Local/101@agents/n',
          queue: 'support',
          paused: 'true',
          reason: 'lunch',
        }),
      ]);
      expect(pbx.actionsNamed('Originate')).toHaveLength(1);
    } finally {
      await producer.disconnect();
    }
  });

  it('puts the caller data of the tenant’s lookup on the offer (the screen pop)', async () => {
    const asked: string[] = [];
    const crm: Server = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ customer: { name: 'Иван Петров', tier: 'gold' } }));
    });
    await new Promise<void>((resolve) => crm.listen(0, '127.0.0.1', resolve));
    try {
      const created = await fetch(`${h.url}/api/v1/pbx/lookups`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'http-json',
          name: 'CRM',
          urlTemplate: `http://127.0.0.1:${(crm.address() as AddressInfo).port}/customers?phone={number}`,
          fieldMapping: { customerName: 'customer.name', tier: 'customer.tier' },
          timeoutMs: 1000,
          cacheTtlS: 0,
        }),
      });
      expect(created.status).toBe(201);
      // The answered call again, as a new call (other ids): its offer now carries the CRM's answer.
      const renumbered = Buffer.from(
        eventsOf('answered.ami')
          .toString('latin1')
          .replace(/1795637069\.1/g, '1795637999.1'),
        'latin1',
      );
      pbx.broadcastRaw(renumbered);
      const offer = await waitFor('the offer with its screen pop', async () => {
        const rows = await h.db.query<{ payload: string }[]>(
          "SELECT payload FROM outbox WHERE tenant_id = 'acme' AND event_type = 'call.offered' AND message_key LIKE '1795637999.%'",
        );
        return rows[0] ? (JSON.parse(rows[0].payload) as { data: { screenPop: unknown } }) : undefined;
      });
      expect(offer.data.screenPop).toEqual({ customerName: 'Иван Петров', tier: 'gold' });
      expect(asked).toEqual(['/customers?phone=79160000001']);
    } finally {
      await new Promise((resolve) => crm.close(resolve));
    }
  });

  it('shows a refused login on the connection and does not hammer the PBX', async () => {
    const logins = pbx.actionsNamed('Login').length;
    const id = await addConnection('Wrong secret', 'not-the-secret');
    const status = await waitFor('auth-failed', async () => {
      const s = await statusOf(id);
      return s.state === 'auth-failed' ? s : undefined;
    });
    expect(status.authenticated).toBe(false);
    expect(status.lastError?.message).toMatch(/Authentication failed.*check the username and secret/);
    // One refused attempt, then a long back-off (not a crash loop); the good connection is unaffected.
    expect(pbx.actionsNamed('Login').length - logins).toBe(1);
    expect((await statusOf(connectionId)).authenticated).toBe(true);
  });
});
