import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { acrossTenants, forTenant } from '@okc/persistence';
import { InjectConfig, MetricsService, ROOT_LOGGER } from '@okc/runtime';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import { DataSource, In } from 'typeorm';
import type { PbxIntegrationConfig } from '../config';
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook-signature';
import { Webhook, WebhookDelivery } from './webhook.entities';
import { WebhooksService } from './webhooks.service';
import { OutboundHttp } from '../http/outbound-http';

const BATCH = 20;

/**
 * Sends queued webhook deliveries. Each round claims due deliveries (`FOR UPDATE SKIP LOCKED`, then leases
 * them for the send timeout, so several instances never send one twice at once and a crashed instance's
 * claims come back), POSTs them signed, and records the outcome: delivered, or retried later with doubling
 * delays (±10% jitter) until WEBHOOK_MAX_ATTEMPTS, then failed. WEBHOOK_DISABLE_AFTER failed attempts in a
 * row disable the webhook with the reason. Delivery is at least once: receivers dedupe by `X-OKC-Delivery`.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<number> | null = null;
  private stopped = false;
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly webhooks: WebhooksService,
    @InjectConfig() private readonly config: PbxIntegrationConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly http: OutboundHttp,
    metrics: MetricsService,
  ) {
    this.outcomes = metrics.getOrCreateCounter({
      name: 'okc_webhook_attempts_total',
      help: 'Webhook delivery attempts by outcome (delivered, retry, failed, disabled)',
      labelNames: ['outcome'],
    });
  }

  onApplicationBootstrap(): void {
    const loop = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        void this.runOnce()
          .catch((err: unknown) => this.logger.debug({ err }, 'webhook round skipped (database away?)'))
          .finally(loop);
      }, this.config.WEBHOOK_POLL_MS);
      this.timer.unref();
    };
    loop();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.round?.catch(() => undefined);
  }

  /** One round: claims and sends what is due; answers how many were attempted. */
  runOnce(now = new Date()): Promise<number> {
    this.round ??= this.claimAndSend(now).finally(() => (this.round = null));
    return this.round;
  }

  private async claimAndSend(now: Date): Promise<number> {
    const lease = new Date(now.getTime() + this.config.WEBHOOK_TIMEOUT_MS + 5_000);
    const claimed = await this.dataSource.transaction(async (m) => {
      const rows = await m.query<{ id: string }[]>(
        `SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?
         ORDER BY next_attempt_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        [now],
      );
      if (rows.length === 0) return [];
      const ids = rows.map((r) => r.id);
      const repo = acrossTenants(
        m.getRepository(WebhookDelivery),
        'the dispatcher sends every tenant’s due deliveries',
      );
      await repo.update({ id: In(ids) }, { nextAttemptAt: lease });
      return repo.findBy({ id: In(ids) });
    });
    await Promise.all(claimed.map((delivery) => this.send(delivery, now)));
    return claimed.length;
  }

  private async send(delivery: WebhookDelivery, now: Date): Promise<void> {
    const webhooks = forTenant(this.dataSource.getRepository(Webhook), delivery.tenantId);
    const deliveries = forTenant(this.dataSource.getRepository(WebhookDelivery), delivery.tenantId);
    const webhook = await webhooks.findOneBy({ id: delivery.webhookId });
    if (!webhook || !webhook.enabled) {
      await deliveries.update(
        { id: delivery.id },
        {
          status: 'failed',
          nextAttemptAt: null,
          lastError: webhook ? 'the webhook is disabled' : 'the webhook was removed',
        },
      );
      return;
    }
    const timestamp = Math.floor(Date.now() / 1000);
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const res = await this.http.fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'OKC-Webhooks/1',
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(this.webhooks.secretOf(webhook), timestamp, delivery.payload),
          'x-okc-delivery': delivery.id,
          'x-okc-event': delivery.eventType,
          'x-okc-event-id': delivery.eventId,
        },
        body: delivery.payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.WEBHOOK_TIMEOUT_MS),
      });
      statusCode = res.status;
      await res.body?.cancel().catch(() => undefined);
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
    } catch (err) {
      // Checked by shape: fetch's errors come from another realm under some runners (instanceof fails).
      const e = err as { name?: unknown; message?: unknown; cause?: { message?: unknown } };
      error =
        e.name === 'TimeoutError'
          ? `no answer in ${this.config.WEBHOOK_TIMEOUT_MS} ms`
          : `not reachable (${String(e.cause?.message ?? e.message ?? err)})`;
    }
    const attempts = delivery.attempts + 1;
    if (error === null) {
      await deliveries.update(
        { id: delivery.id },
        {
          status: 'delivered',
          attempts,
          nextAttemptAt: null,
          lastStatusCode: statusCode,
          lastError: null,
          deliveredAt: new Date(),
        },
      );
      if (webhook.consecutiveFailures > 0)
        await webhooks.update({ id: webhook.id }, { consecutiveFailures: 0 });
      this.outcomes.inc({ outcome: 'delivered' });
      return;
    }
    const finalAttempt = attempts >= this.config.WEBHOOK_MAX_ATTEMPTS;
    const delay = this.config.WEBHOOK_RETRY_BASE_MS * 2 ** (attempts - 1) * (0.9 + Math.random() * 0.2);
    await deliveries.update(
      { id: delivery.id },
      {
        status: finalAttempt ? 'failed' : 'pending',
        attempts,
        nextAttemptAt: finalAttempt ? null : new Date(now.getTime() + delay),
        lastStatusCode: statusCode,
        lastError: error.slice(0, 512),
      },
    );
    this.outcomes.inc({ outcome: finalAttempt ? 'failed' : 'retry' });
    // Counted in SQL: several deliveries of one webhook fail at the same time.
    await this.dataSource.query(
      'UPDATE webhooks SET consecutive_failures = consecutive_failures + 1 WHERE tenant_id = ? AND id = ?',
      [webhook.tenantId, webhook.id],
    );
    const failures = (await webhooks.findOneBy({ id: webhook.id }))?.consecutiveFailures ?? 0;
    const disable = failures >= this.config.WEBHOOK_DISABLE_AFTER;
    if (disable) {
      await webhooks.update(
        { id: webhook.id, enabled: true },
        {
          enabled: false,
          disabledReason: `${failures} failed attempts in a row; last: ${error}`.slice(0, 512),
          updatedAt: new Date(),
        },
      );
    }
    if (disable) {
      this.outcomes.inc({ outcome: 'disabled' });
      this.logger.warn(
        { tenant: webhook.tenantId, webhook: webhook.id, url: webhook.url, failures, last: error },
        'webhook disabled after repeated failures; an admin can re-enable it',
      );
    } else {
      this.logger.info(
        { tenant: webhook.tenantId, webhook: webhook.id, attempts, error },
        'webhook delivery failed; will retry',
      );
    }
  }
}
