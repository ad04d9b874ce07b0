import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Envelope } from '@okc/contracts';
import { forTenant, TenantRepositories } from '@okc/persistence';
import { InjectConfig, NotFoundError, ValidationFailedError } from '@okc/runtime';
import type { EntityManager } from 'typeorm';
import type { PbxIntegrationConfig } from '../config';
import { SecretBox } from '../connections/secret-box';
import { Webhook, WebhookDelivery } from './webhook.entities';
import type { CreateWebhookInput, UpdateWebhookInput } from './webhooks.dto';

const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

/** A tenant's webhooks (admin API) and the fan-out of events into their delivery queue. */
@Injectable()
export class WebhooksService {
  private readonly box: SecretBox;

  constructor(
    private readonly repos: TenantRepositories,
    @InjectConfig() private readonly config: PbxIntegrationConfig,
  ) {
    this.box = new SecretBox(config.PBX_SECRET_KEY);
  }

  private repo(tenantId: string) {
    return this.repos.for(Webhook, tenantId);
  }

  /** Plain http:// only outside production (or when WEBHOOK_ALLOW_HTTP says so): event data is personal data. */
  private checkUrl(url: string): void {
    if (
      url.startsWith('http://') &&
      this.config.NODE_ENV === 'production' &&
      !this.config.WEBHOOK_ALLOW_HTTP
    ) {
      throw new ValidationFailedError('request body', [
        { field: 'url', message: 'must be https:// in production' },
      ]);
    }
  }

  list(tenantId: string): Promise<Webhook[]> {
    return this.repo(tenantId).find({ order: { createdAt: 'ASC' } });
  }

  async get(tenantId: string, id: string): Promise<Webhook> {
    const webhook = await this.repo(tenantId).findOneBy({ id });
    if (!webhook) throw new NotFoundError('Webhook');
    return webhook;
  }

  async create(tenantId: string, input: CreateWebhookInput): Promise<{ webhook: Webhook; secret: string }> {
    this.checkUrl(input.url);
    const id = randomUUID();
    const secret = newSecret();
    const now = new Date();
    const repo = this.repo(tenantId);
    const webhook = await repo.save(
      repo.create({
        id,
        url: input.url,
        eventTypes: input.eventTypes,
        secretSealed: this.box.seal(secret, `${tenantId}:webhook:${id}`),
        enabled: input.enabled,
        disabledReason: null,
        consecutiveFailures: 0,
        createdAt: now,
        updatedAt: now,
      }),
    );
    return { webhook, secret };
  }

  async update(tenantId: string, id: string, patch: UpdateWebhookInput): Promise<Webhook> {
    const webhook = await this.get(tenantId, id);
    if (patch.url) this.checkUrl(patch.url);
    const reenabled = patch.enabled === true && !webhook.enabled;
    return this.repo(tenantId).save({
      ...webhook,
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.eventTypes !== undefined ? { eventTypes: patch.eventTypes } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      ...(reenabled ? { disabledReason: null, consecutiveFailures: 0 } : {}),
      updatedAt: new Date(),
    });
  }

  async rotateSecret(tenantId: string, id: string): Promise<{ webhook: Webhook; secret: string }> {
    const webhook = await this.get(tenantId, id);
    const secret = newSecret();
    const saved = await this.repo(tenantId).save({
      ...webhook,
      secretSealed: this.box.seal(secret, `${tenantId}:webhook:${id}`),
      updatedAt: new Date(),
    });
    return { webhook: saved, secret };
  }

  async remove(tenantId: string, id: string): Promise<void> {
    await this.get(tenantId, id);
    await this.repos.for(WebhookDelivery, tenantId).delete({ webhookId: id });
    await this.repo(tenantId).delete({ id });
  }

  async deliveries(tenantId: string, id: string, limit = 50): Promise<WebhookDelivery[]> {
    await this.get(tenantId, id);
    return this.repos.for(WebhookDelivery, tenantId).find({
      where: { webhookId: id },
      order: { createdAt: 'DESC' },
      take: limit,
    });
  }

  /** The signing secret of a webhook (the dispatcher's use only). */
  secretOf(webhook: Webhook): string {
    return this.box.open(webhook.secretSealed, `${webhook.tenantId}:webhook:${webhook.id}`);
  }

  /**
   * Queues `event` for every enabled webhook of its tenant that wants its type, inside the consumer's
   * inbox transaction: the event is queued exactly once per webhook, or not at all.
   */
  async enqueue(manager: EntityManager, event: Envelope): Promise<number> {
    const webhooks = await forTenant(manager.getRepository(Webhook), event.tenantId).findBy({
      enabled: true,
    });
    const wanted = webhooks.filter((w) => w.eventTypes.includes('*') || w.eventTypes.includes(event.type));
    if (wanted.length === 0) return 0;
    const deliveries = forTenant(manager.getRepository(WebhookDelivery), event.tenantId);
    const now = new Date();
    const payload = JSON.stringify(event);
    for (const webhook of wanted) {
      await deliveries.save(
        deliveries.create({
          id: randomUUID(),
          webhookId: webhook.id,
          eventId: event.id,
          eventType: event.type,
          payload,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          lastStatusCode: null,
          lastError: null,
          createdAt: now,
          deliveredAt: null,
        }),
      );
    }
    return wanted.length;
  }
}
