import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EVENT_REGISTRY } from '@okc/contracts';
import { EventConsumer } from '@okc/messaging';
import { WEBHOOK_TOPICS } from './webhooks.dto';
import { WebhooksService } from './webhooks.service';

/**
 * Every event of the webhook topics goes into the delivery queue of the tenant's matching webhooks, in the
 * consumer's inbox transaction: a re-delivered event is skipped by the inbox, so each webhook gets each
 * event once (then at least once over HTTP).
 */
@Injectable()
export class WebhookFanout implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly webhooks: WebhooksService,
  ) {}

  onModuleInit(): void {
    for (const topic of WEBHOOK_TOPICS) {
      for (const type of Object.keys(EVENT_REGISTRY[topic])) {
        this.consumer.on(topic, type, async (event, { manager }) => {
          if (!manager) throw new Error('webhook fan-out needs the inbox transaction');
          await this.webhooks.enqueue(manager, event);
        });
      }
    }
  }
}
