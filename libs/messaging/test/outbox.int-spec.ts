import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { TOPICS, type Envelope } from '@okc/contracts';
import { createTestTopics, waitFor } from '@okc/testing';
import {
  checkOutboxEntry,
  EventConsumer,
  OutboxRelay,
  OutboxWriter,
  createIdempotentProducer,
  silentLogger,
} from '../src';
import {
  collectTopic,
  decodeDelivered,
  firstDeliveryOrderByKey,
  range,
  sequencedEvent,
  setUpMessaging,
  writeSequencedEvents,
  type MessagingFixture,
} from './support';

const ROOT = path.resolve(__dirname, '../../..');
const CALLS = TOPICS.telephonyCalls;

describe('outbox (real MariaDB + Kafka)', () => {
  let fx: MessagingFixture;

  beforeAll(async () => {
    fx = await setUpMessaging('outbox');
  });
  afterAll(async () => {
    await fx.close();
  });
  beforeEach(async () => {
    await fx.dataSource.query('DELETE FROM outbox');
    await fx.dataSource.query('DELETE FROM ticket');
  });

  it('commits a domain write and its event together, and a rolled-back transaction emits nothing', async () => {
    const writer = new OutboxWriter();
    const committed = sequencedEvent('call-commit', 1);
    await fx.dataSource.transaction(async (m) => {
      await m.query('INSERT INTO ticket (tenant_id, subject) VALUES (?, ?)', ['demo', 'kept']);
      await writer.add(m, { topic: CALLS, key: 'call-commit', event: committed });
    });
    const rolledBack = sequencedEvent('call-rollback', 1);
    await expect(
      fx.dataSource.transaction(async (m) => {
        await m.query('INSERT INTO ticket (tenant_id, subject) VALUES (?, ?)', ['demo', 'lost']);
        await writer.add(m, { topic: CALLS, key: 'call-rollback', event: rolledBack });
        throw new Error('the domain rule failed after the event was added');
      }),
    ).rejects.toThrow('domain rule failed');

    const tickets = await fx.dataSource.query<{ subject: string }[]>('SELECT subject FROM ticket');
    expect(tickets.map((t) => t.subject)).toEqual(['kept']);
    const rows = await fx.dataSource.query<{ event_id: string }[]>('SELECT event_id FROM outbox');
    expect(rows.map((r) => r.event_id)).toEqual([committed.id]);

    // And only the committed event ever reaches Kafka: publish everything, then read the topic.
    const producer = createIdempotentProducer(fx.kafka);
    await producer.connect();
    const relay = new OutboxRelay(fx.dataSource, producer, silentLogger, {
      service: 'test',
      topicPrefix: fx.infra.topicPrefix,
    });
    try {
      expect(await relay.publishBatch()).toBe(1);
      expect(await relay.publishBatch()).toBe(0);
    } finally {
      await producer.disconnect();
    }
    const messages = await collectTopic(fx.kafka, `${fx.infra.topicPrefix}${CALLS}`, (all) =>
      all.some((m) => decodeDelivered(m).eventId === committed.id),
    );
    const ids = messages.map((m) => decodeDelivered(m).eventId);
    expect(ids).toContain(committed.id);
    expect(ids).not.toContain(rolledBack.id);
  });

  it('wakes an idle relay once the transaction that added rows has committed (not before)', async () => {
    const producer = createIdempotentProducer(fx.kafka);
    await producer.connect();
    // An idle poll of ten minutes: only the wake after the commit can make it publish within the wait below.
    const relay = new OutboxRelay(fx.dataSource, producer, silentLogger, {
      service: 'test',
      topicPrefix: fx.infra.topicPrefix,
      idlePollMs: 600_000,
    });
    relay.start();
    try {
      await waitFor('the relay to go idle', async () => (await relay.pending()) === 0 || undefined);
      await new Promise((r) => setTimeout(r, 200));
      const event = sequencedEvent('call-wake', 1);
      await fx.dataSource.transaction(async (m) => {
        await new OutboxWriter().add(m, { topic: CALLS, key: 'call-wake', event });
        // Not visible to the relay yet, and it must not have spent its wake on this.
        await new Promise((r) => setTimeout(r, 100));
      });
      await waitFor(
        'the woken relay to publish',
        async () => (await relay.pending()) === 0 || undefined,
        20_000,
      );
    } finally {
      await relay.stop();
      await producer.disconnect();
    }
    expect(fx.dataSource.subscribers).toHaveLength(0); // stop() unregistered its commit hook
  });

  it('refuses an invalid event, so the domain write fails with it and nothing is queued', async () => {
    const writer = new OutboxWriter();
    const bad = { ...sequencedEvent('call-bad', 1), data: { callId: 'call-bad' } } as Envelope;
    await expect(
      fx.dataSource.transaction(async (m) => {
        await m.query('INSERT INTO ticket (tenant_id, subject) VALUES (?, ?)', ['demo', 'x']);
        await writer.add(m, { topic: CALLS, key: 'call-bad', event: bad });
      }),
    ).rejects.toMatchObject({ code: 'EVENT_INVALID', message: expect.stringContaining('data.connectionId') });
    expect(await fx.dataSource.query('SELECT COUNT(*) AS n FROM ticket')).toEqual([{ n: 0 }]);
  });

  it('writes an entry checked ahead (checkOutboxEntry) as checked, and names the fields of a bad one', async () => {
    const good = { topic: CALLS, key: 'call-checked', event: sequencedEvent('call-checked', 1) };
    const bad = { topic: CALLS, key: 'call-bad', event: { ...good.event, data: {} } as Envelope };
    expect(checkOutboxEntry(good)).toMatchObject({ ok: true });
    const refused = checkOutboxEntry(bad);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? [] : refused.errors.map((e) => e.field)).toContain('data.callId');
    // What add() writes is the event as it was checked: not validated (nor changed) again.
    (good.event as { source: string }).source = '';
    await fx.dataSource.transaction((m) => new OutboxWriter().add(m, good));
    const [row] = await fx.dataSource.query<{ payload: string }[]>('SELECT payload FROM outbox');
    expect((JSON.parse(row!.payload) as Envelope).source).not.toBe('');
    expect((JSON.parse(row!.payload) as Envelope).id).toBe(good.event.id);
  });

  it('refuses to write outside a transaction', async () => {
    await expect(
      new OutboxWriter().add(fx.dataSource.manager, {
        topic: CALLS,
        key: 'k',
        event: sequencedEvent('k', 1),
      }),
    ).rejects.toThrow(/inside the transaction/);
  });

  it('delivers every event in key order after the relay process is killed mid-batch and restarted', async () => {
    // A topic prefix of its own, so only this test's events are on it.
    const prefix = `${fx.infra.topicPrefix}kill.`;
    await createTestTopics({ ...fx.infra, topicPrefix: prefix }, [CALLS]);
    const keys = range(12).map((i) => `call-${i}`);
    const total = await writeSequencedEvents(fx.dataSource, keys, 50); // 600 events
    const env = {
      ...process.env,
      SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.node.json'),
      DB_HOST: fx.database.config.host,
      DB_PORT: String(fx.database.config.port),
      DB_USER: fx.database.config.user,
      DB_PASSWORD: fx.database.config.password,
      DB_NAME: fx.database.config.database,
      KAFKA_BROKERS: fx.infra.kafkaBrokers.join(','),
      TOPIC_PREFIX: prefix,
      BATCH_SIZE: '100',
    };
    const worker = (extra: Record<string, string>): ChildProcess =>
      spawn(
        process.execPath,
        ['-r', '@swc-node/register', path.join(__dirname, 'fixtures/relay-worker.ts')],
        {
          cwd: ROOT,
          env: { ...env, ...extra },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );

    // First relay: pauses after each send, before marking the batch sent. Kill it in that window.
    const first = worker({ PAUSE_AFTER_SEND_MS: '60000' });
    await new Promise<void>((resolve, reject) => {
      first.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('SENT')) resolve();
      });
      first.once('exit', (code) => reject(new Error(`relay worker exited early with ${code}`)));
    });
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    // Mid-batch for real: that batch reached Kafka but none of its rows were marked sent.
    const [{ n: unsent }] = await fx.dataSource.query<[{ n: number }]>(
      'SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL',
    );
    expect(Number(unsent)).toBe(total);

    const second = worker({});
    try {
      await waitFor(
        'the restarted relay to drain the outbox',
        async () => {
          const [row] = await fx.dataSource.query<{ n: number }[]>(
            'SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL',
          );
          return Number(row!.n) === 0;
        },
        60_000,
      );
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    }

    const messages = await collectTopic(
      fx.kafka,
      `${prefix}${CALLS}`,
      (all) => new Set(all.map((m) => decodeDelivered(m).eventId)).size >= total,
    );
    const byKey = firstDeliveryOrderByKey(messages.map(decodeDelivered));
    expect([...byKey.keys()].sort()).toEqual([...keys].sort());
    for (const key of keys) expect(byKey.get(key)).toEqual(range(50));
    // The killed batch was sent twice: at-least-once, which is why consumers have an inbox.
    expect(messages.length).toBeGreaterThan(total);
  });

  it('lets two relays run at once: after the inbox every event takes effect exactly once, in key order', async () => {
    const prefix = `${fx.infra.topicPrefix}two.`;
    await createTestTopics({ ...fx.infra, topicPrefix: prefix }, [CALLS]);
    await fx.dataSource.query('DELETE FROM effect_log');
    const keys = range(20).map((i) => `call-${i}`);
    const relays = await Promise.all(
      [1, 2].map(async (n) => {
        const producer = createIdempotentProducer(fx.kafka);
        await producer.connect();
        const relay = new OutboxRelay(fx.dataSource, producer, silentLogger, {
          service: `relay-${n}`,
          topicPrefix: prefix,
          batchSize: 37,
        });
        return { relay, producer };
      }),
    );
    const consumer = new EventConsumer(fx.kafka, silentLogger, {
      service: 'effects',
      groupId: `${prefix}effects`,
      topics: [CALLS],
      topicPrefix: prefix,
      dataSource: fx.dataSource,
    });
    consumer.on(CALLS, 'call.queued', async (event, { manager }) => {
      const data = event.data as { callId: string; position: number };
      await manager!.query('INSERT INTO effect_log (consumer, event_id, call_id, seq) VALUES (?, ?, ?, ?)', [
        'effects',
        event.id,
        data.callId,
        data.position,
      ]);
    });
    await consumer.start();
    relays.forEach(({ relay }) => relay.start());
    try {
      // Writers keep going while both relays publish.
      const total = await writeSequencedEvents(fx.dataSource, keys, 40, 7); // 800 events
      await waitFor(
        'every event to take effect',
        async () => {
          const [row] = await fx.dataSource.query<{ n: number }[]>(
            'SELECT COUNT(DISTINCT event_id) AS n FROM effect_log',
          );
          return Number(row!.n) === total;
        },
        90_000,
      );
      const [dup] = await fx.dataSource.query<{ n: number }[]>(
        'SELECT COUNT(*) AS n FROM (SELECT event_id FROM effect_log GROUP BY event_id HAVING COUNT(*) > 1) d',
      );
      expect(Number(dup!.n)).toBe(0);
      const rows = await fx.dataSource.query<{ call_id: string; seq: number }[]>(
        'SELECT call_id, seq FROM effect_log ORDER BY id',
      );
      for (const key of keys)
        expect(rows.filter((r) => r.call_id === key).map((r) => r.seq)).toEqual(range(40));
    } finally {
      await Promise.all(relays.map(({ relay }) => relay.stop()));
      await Promise.all(relays.map(({ producer }) => producer.disconnect()));
      await consumer.stop();
    }
  });
});
