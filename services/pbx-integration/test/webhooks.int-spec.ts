import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TOPICS } from '@okc/contracts';
import { makeEvent, testKafka, waitFor } from '@okc/testing';
import type { Producer } from 'kafkajs';
import { verifyWebhook } from '../src/webhooks/webhook-signature';
import { type PbxHarness, startPbxHarness } from './support/pbx-harness';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface WebhookReply {
  id: string;
  secret: string;
  enabled: boolean;
  disabledReason: string | null;
  items: { status: string; attempts: number; lastStatusCode: number | null; eventType: string }[];
  details: { field: string }[];
}

/**
 * Webhooks end to end: events reach pbx-integration's consumer through the real Kafka broker, deliveries are
 * queued in MariaDB and POSTed to a local receiver, signed; a failing receiver is retried, then disabled.
 */
describe('pbx-integration: outbound webhooks', () => {
  let h: PbxHarness;
  let receiver: Server;
  let base: string;
  let producer: Producer;
  const received: Received[] = [];
  /** How many more times each path answers 500 before 200 (Infinity: always 503). */
  const failures = new Map<string, number>();
  const tokens = { acme: '', acmeSupervisor: '', globex: '' };

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        received.push({ path: req.url ?? '', headers: req.headers, body });
        const left = failures.get(req.url ?? '') ?? 0;
        if (left > 0) {
          failures.set(req.url ?? '', left - 1);
          res.writeHead(left === Infinity ? 503 : 500).end();
        } else res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    h = await startPbxHarness({
      env: {
        WEBHOOK_POLL_MS: '50',
        WEBHOOK_RETRY_BASE_MS: '50',
        WEBHOOK_MAX_ATTEMPTS: '5',
        WEBHOOK_DISABLE_AFTER: '3',
        WEBHOOK_TIMEOUT_MS: '2000',
      },
    });
    producer = testKafka(h.infra).producer();
    await producer.connect();
    tokens.acme = await h.issuer.mint({
      sub: 'boss',
      tenant: 'acme',
      roles: ['admin'],
      preferredUsername: 'boss',
    });
    tokens.acmeSupervisor = await h.issuer.mint({ sub: 'sue', tenant: 'acme', roles: ['supervisor'] });
    tokens.globex = await h.issuer.mint({ sub: 'gus', tenant: 'globex', roles: ['admin'] });
  });

  afterAll(async () => {
    await producer?.disconnect();
    await h?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  async function call(method: string, path: string, token: string, body?: unknown) {
    const res = await fetch(`${h.url}/api/v1/pbx${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as WebhookReply };
  }

  /** Publishes an event to the service's own copy of a topic, as another producer would. */
  async function publish(tenantId: string, callId: string) {
    const event = makeEvent(TOPICS.telephonyCalls, 'call.ended', { tenantId, data: { callId } });
    await producer.send({
      topic: `${h.env.KAFKA_TOPIC_PREFIX}${TOPICS.telephonyCalls}`,
      acks: -1,
      messages: [{ key: callId, value: JSON.stringify(event), headers: { 'event-id': event.id } }],
    });
    return event;
  }

  const at = (path: string) => received.filter((r) => r.path === path);

  it('delivers an event signed with the secret shown at registration', async () => {
    const created = await call('POST', '/webhooks', tokens.acme, {
      url: `${base}/modes`,
      eventTypes: ['mode.changed'],
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    // A supervisor's manual switch → mode.changed (outbox → Kafka) → this webhook.
    const until = new Date(Date.now() + 3600_000).toISOString();
    expect(
      (await call('PUT', '/modes/override', tokens.acmeSupervisor, { mode: 'night', until })).status,
    ).toBe(200);
    const [delivery] = await waitFor('the delivery', () =>
      at('/modes').length > 0 ? at('/modes') : undefined,
    );
    const body = JSON.parse(delivery!.body) as { type: string; tenantId: string; data: { mode: string } };
    expect(body).toMatchObject({ type: 'mode.changed', tenantId: 'acme', data: { mode: 'night' } });
    expect(delivery!.headers['x-okc-event']).toBe('mode.changed');
    const signed = {
      signature: delivery!.headers['x-okc-signature'] as string,
      timestamp: delivery!.headers['x-okc-timestamp'] as string,
    };
    const now = Math.floor(Date.now() / 1000);
    expect(verifyWebhook(created.body.secret, signed, delivery!.body, now)).toBe(true);
    expect(verifyWebhook('whsec_other', signed, delivery!.body, now)).toBe(false);
    const log = await call('GET', `/webhooks/${created.body.id}/deliveries`, tokens.acme);
    expect(log.body.items).toEqual([
      expect.objectContaining({ eventType: 'mode.changed', status: 'delivered', attempts: 1 }),
    ]);
  });

  it('retries a receiver that fails, with the same delivery id, until it answers', async () => {
    failures.set('/flaky', 2);
    const created = await call('POST', '/webhooks', tokens.acme, {
      url: `${base}/flaky`,
      eventTypes: ['call.ended'],
    });
    const event = await publish('acme', 'call-flaky-1');
    await waitFor('three attempts', () => at('/flaky').length >= 3 || undefined, 30_000);
    const attempts = at('/flaky');
    expect(new Set(attempts.map((a) => a.headers['x-okc-delivery'])).size).toBe(1);
    expect(attempts.every((a) => a.headers['x-okc-event-id'] === event.id)).toBe(true);
    const log = await waitFor('the log to say delivered', async () => {
      const items = (await call('GET', `/webhooks/${created.body.id}/deliveries`, tokens.acme)).body.items;
      return items[0]?.status === 'delivered' ? items : undefined;
    });
    expect(log[0]).toMatchObject({ attempts: 3, lastStatusCode: 204 });
  });

  it('disables a webhook after repeated failures, saying why, and an admin can re-enable it', async () => {
    failures.set('/down', Infinity);
    const created = await call('POST', '/webhooks', tokens.acme, {
      url: `${base}/down`,
      eventTypes: ['call.ended'],
    });
    await publish('acme', 'call-down-1');
    const disabled = await waitFor(
      'the webhook to be disabled',
      async () => {
        const webhook = (await call('GET', `/webhooks/${created.body.id}`, tokens.acme)).body;
        return webhook.enabled ? undefined : webhook;
      },
      30_000,
    );
    expect(disabled.disabledReason).toMatch(/3 failed attempts in a row; last: HTTP 503/);
    const reenabled = await call('PATCH', `/webhooks/${created.body.id}`, tokens.acme, { enabled: true });
    expect(reenabled.body).toMatchObject({ enabled: true, disabledReason: null });
  });

  it('keeps tenants apart: another tenant’s events and admins do not reach this webhook', async () => {
    const created = await call('POST', '/webhooks', tokens.acme, {
      url: `${base}/acme-only`,
      eventTypes: ['*'],
    });
    await publish('globex', 'call-globex-1');
    await publish('acme', 'call-acme-1');
    await waitFor(
      'acme’s event',
      () => at('/acme-only').some((r) => r.body.includes('call-acme-1')) || undefined,
    );
    expect(at('/acme-only').some((r) => r.body.includes('call-globex-1'))).toBe(false);
    expect((await call('GET', `/webhooks/${created.body.id}`, tokens.globex)).status).toBe(404);
    expect((await call('GET', `/webhooks/${created.body.id}/deliveries`, tokens.globex)).status).toBe(404);
    expect((await call('GET', '/webhooks', tokens.globex)).body.items).toEqual([]);
    expect((await call('GET', `/webhooks/${created.body.id}`, tokens.acme)).status).toBe(200);
    expect((await call('GET', '/webhooks', tokens.acmeSupervisor)).status).toBe(403);
  });

  it('names bad fields and never shows the secret again', async () => {
    const badType = await call('POST', '/webhooks', tokens.acme, {
      url: `${base}/x`,
      eventTypes: ['call.exploded'],
    });
    expect(badType.status).toBe(400);
    expect(badType.body.details.map((d) => d.field)).toEqual(['eventTypes.0']);
    const badUrl = await call('POST', '/webhooks', tokens.acme, { url: 'ftp://x', eventTypes: ['*'] });
    expect(badUrl.body.details.map((d) => d.field)).toEqual(['url']);
    const list = await call('GET', '/webhooks', tokens.acme);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
  });
});
