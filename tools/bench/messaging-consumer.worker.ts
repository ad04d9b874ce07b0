/**
 * The consuming side of the messaging benchmark, in its own process as a consuming service would be.
 * MODE=raw: a plain kafkajs consumer that counts messages. MODE=inbox: EventConsumer with the inbox and a handler
 * that writes one effect row per event. Sends {type:'ready'} when subscribed and {type:'done', at} (epoch ms)
 * after EXPECTED messages (raw mode; the inbox mode is watched through the database by the parent).
 */
import { Kafka, logLevel } from 'kafkajs';
import { TOPICS } from '@okc/contracts';
import { createDataSource } from '@okc/persistence';
import { EventConsumer, silentLogger } from '@okc/messaging';

const env = process.env;
const CALLS = TOPICS.telephonyCalls;
const send = (message: object) => process.send?.(message);

async function main(): Promise<void> {
  const kafka = new Kafka({
    clientId: `bench-${env.MODE}`,
    brokers: env.KAFKA_BROKERS!.split(','),
    logLevel: logLevel.NOTHING,
  });
  const prefix = env.TOPIC_PREFIX!;
  if (env.MODE === 'raw') {
    const expected = Number(env.EXPECTED);
    const consumer = kafka.consumer({ groupId: `${prefix}raw`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: `${prefix}${CALLS}`, fromBeginning: true });
    let received = 0;
    const latencies: number[] = [];
    await consumer.run({
      partitionsConsumedConcurrently: 3,
      eachBatch: ({ batch }) => {
        const now = Date.now();
        for (const m of batch.messages) {
          // Decode as a real consumer would; the latency is measured from the event's occurredAt.
          const event = JSON.parse(m.value!.toString()) as { occurredAt: string };
          latencies.push(now - Date.parse(event.occurredAt));
        }
        received += batch.messages.length;
        if (received >= expected) send({ type: 'done', at: Date.now(), latencies });
        return Promise.resolve();
      },
    });
  } else {
    const ds = createDataSource(
      {
        host: env.DB_HOST!,
        port: Number(env.DB_PORT),
        user: env.DB_USER!,
        password: env.DB_PASSWORD ?? '',
        database: env.DB_NAME!,
      },
      { service: 'bench-consumer', entities: [], poolSize: 10 },
    );
    await ds.initialize();
    const consumer = new EventConsumer(kafka, silentLogger, {
      service: 'bench',
      groupId: `${prefix}bench`,
      topics: [CALLS],
      topicPrefix: prefix,
      dataSource: ds,
      chunkSize: 500,
      partitionsConsumedConcurrently: 3,
    });
    consumer.on(CALLS, 'call.queued', async (e, { manager }) => {
      await manager!.query('INSERT INTO effect (event_id, call_id) VALUES (?, ?)', [
        e.id,
        (e.data as { callId: string }).callId,
      ]);
    });
    await consumer.start();
  }
  // Let the group finish joining before the parent starts the clock.
  setTimeout(() => send({ type: 'ready' }), 1500);
  process.on('disconnect', () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
