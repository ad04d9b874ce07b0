import type { KafkaMessage, Producer } from 'kafkajs';
import { HEADERS, TOPICS, dlqTopicOf } from '@okc/contracts';
import { createTestTopics, waitFor } from '@okc/testing';
import { EventConsumer, silentLogger } from '../src';
import { collectTopic, sequencedEvent, setUpMessaging, type MessagingFixture } from './support';

const CALLS = TOPICS.telephonyCalls;

describe('inbox consumer (real MariaDB + Kafka)', () => {
  let fx: MessagingFixture;
  let producer: Producer;
  let n = 0;
  /** A fresh topic prefix per test: each test sees only its own messages. */
  let prefix: string;
  const consumers: EventConsumer[] = [];

  beforeAll(async () => {
    fx = await setUpMessaging('inbox');
    producer = fx.kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await fx.close();
  });
  beforeEach(async () => {
    prefix = `${fx.infra.topicPrefix}c${++n}.`;
    await createTestTopics({ ...fx.infra, topicPrefix: prefix }, [CALLS], 3);
    await fx.dataSource.query('DELETE FROM effect_log');
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
  });

  function effectConsumer(groupSuffix = '', fail?: (position: number) => boolean): EventConsumer {
    const consumer = new EventConsumer(fx.kafka, silentLogger, {
      service: 'effects',
      groupId: `${prefix}effects${groupSuffix}`,
      topics: [CALLS],
      topicPrefix: prefix,
      dataSource: fx.dataSource,
      maxAttempts: 3,
      retryInitialMs: 20,
      retryMaxMs: 50,
    });
    consumer.on(CALLS, 'call.queued', async (event, { manager }) => {
      const data = event.data as { callId: string; position: number };
      await manager!.query('INSERT INTO effect_log (consumer, event_id, call_id, seq) VALUES (?, ?, ?, ?)', [
        'effects',
        event.id,
        data.callId,
        data.position,
      ]);
      if (fail?.(data.position)) throw new Error(`cannot apply position ${data.position}`);
    });
    consumers.push(consumer);
    return consumer;
  }

  const send = (key: string, value: string | null, headers: Record<string, string> = {}) =>
    producer.send({ topic: `${prefix}${CALLS}`, acks: -1, messages: [{ key, value, headers }] });

  async function effects(): Promise<{ event_id: string; seq: number }[]> {
    return await fx.dataSource.query<{ event_id: string; seq: number }[]>(
      'SELECT event_id, seq FROM effect_log ORDER BY id',
    );
  }

  const dlq = (until: (m: KafkaMessage[]) => boolean) =>
    collectTopic(fx.kafka, `${prefix}${dlqTopicOf(CALLS)}`, until);
  const header = (m: KafkaMessage, name: string) => m.headers?.[name]?.toString();

  it('applies an event delivered three times once', async () => {
    const event = sequencedEvent('call-dup', 1);
    for (let i = 0; i < 3; i++) await send('call-dup', JSON.stringify(event));
    const marker = sequencedEvent('call-dup', 2);
    await send('call-dup', JSON.stringify(marker));
    await effectConsumer().start();
    await waitFor('the marker event to take effect', async () =>
      (await effects()).some((e) => e.event_id === marker.id),
    );
    expect((await effects()).map((e) => e.event_id)).toEqual([event.id, marker.id]);
    const inbox = await fx.dataSource.query<{ n: number }[]>(
      'SELECT COUNT(*) AS n FROM inbox WHERE event_id = ?',
      [event.id],
    );
    expect(Number(inbox[0]!.n)).toBe(1);
  });

  it('applies an event once when two consumer instances receive it concurrently', async () => {
    // Two groups of the same service both receive every message, at the same time: only the inbox stands
    // between them and a double effect.
    const events = Array.from({ length: 100 }, (_, i) => sequencedEvent(`call-${i % 10}`, i + 1));
    await effectConsumer('-a').start();
    await effectConsumer('-b').start();
    await producer.send({
      topic: `${prefix}${CALLS}`,
      acks: -1,
      messages: events.map((e) => ({ key: e.data.callId, value: JSON.stringify(e) })),
    });
    const ids = new Set(events.map((e) => e.id));
    await waitFor(
      'all 100 events to take effect',
      async () => (await effects()).filter((e) => ids.has(e.event_id)).length >= 100,
    );
    // Give the slower group time to process its copies too, then check for doubles.
    await waitFor('both groups to finish', async () => {
      const [row] = await fx.dataSource.query<{ n: number }[]>(
        "SELECT COUNT(*) AS n FROM inbox WHERE consumer = 'effects' AND event_id IN (?)",
        [[...ids]],
      );
      return Number(row!.n) === 100;
    });
    const rows = await effects();
    expect(rows.length).toBe(100);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(100);
  });

  it('sends malformed JSON and an invalid event to the DLQ with the reason, and processes the next message', async () => {
    await send('call-x', '{"id": "not even closed"');
    const invalid = { ...sequencedEvent('call-x', 1), data: { callId: 'call-x', position: -3 } };
    await send('call-x', JSON.stringify(invalid), { [HEADERS.eventId]: invalid.id });
    const good = sequencedEvent('call-x', 2);
    await send('call-x', JSON.stringify(good));
    await effectConsumer().start();

    await waitFor('the good event to take effect', async () =>
      (await effects()).some((e) => e.event_id === good.id),
    );
    const dead = await dlq((all) => all.length >= 2);
    expect(dead).toHaveLength(2);
    expect(header(dead[0]!, HEADERS.dlqReason)).toMatch(/^malformed JSON/);
    expect(header(dead[1]!, HEADERS.dlqReason)).toMatch(/data\.connectionId|data\.position/);
    expect(header(dead[1]!, HEADERS.dlqReason)).toContain('data.position');
    expect(header(dead[1]!, HEADERS.dlqSourceTopic)).toBe(CALLS);
    expect(header(dead[1]!, HEADERS.eventId)).toBe(invalid.id);
    expect(dead[1]!.value!.toString()).toBe(JSON.stringify(invalid));
    expect((await effects()).map((e) => e.event_id)).toEqual([good.id]);
  });

  it('retries a failing handler, then dead-letters that event alone and rolls back its effect', async () => {
    const events = [1, 2, 3, 4].map((seq) => sequencedEvent('call-poison', seq));
    await producer.send({
      topic: `${prefix}${CALLS}`,
      acks: -1,
      messages: events.map((e) => ({ key: 'call-poison', value: JSON.stringify(e) })),
    });
    await effectConsumer('', (position) => position === 3).start();
    await waitFor('the event after the poison one to take effect', async () =>
      (await effects()).some((e) => e.event_id === events[3]!.id),
    );
    expect((await effects()).map((e) => e.seq)).toEqual([1, 2, 4]);
    const dead = await dlq((all) => all.length >= 1);
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0]!.value!.toString())).toMatchObject({ id: events[2]!.id });
    expect(header(dead[0]!, HEADERS.dlqReason)).toBe('handler failed 3 times: cannot apply position 3');
  });

  it('acknowledges event types it has no handler for, without an effect or a DLQ entry', async () => {
    const other = {
      ...sequencedEvent('call-o', 1),
      type: 'call.held',
      data: { callId: 'call-o', connectionId: 'pbx', agentInterface: null },
    };
    await send('call-o', JSON.stringify(other));
    const marker = sequencedEvent('call-o', 2);
    await send('call-o', JSON.stringify(marker));
    await effectConsumer().start();
    await waitFor('the marker', async () => (await effects()).some((e) => e.event_id === marker.id));
    expect((await effects()).map((e) => e.event_id)).toEqual([marker.id]);
  });
});
