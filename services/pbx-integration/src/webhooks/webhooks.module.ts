import { Module } from '@nestjs/common';
import { OutboundHttpModule } from '../http/outbound-http.module';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookFanout } from './webhook-fanout';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** Outbound webhooks: registration, fan-out from Kafka into a delivery queue, signed delivery with retries. */
@Module({
  imports: [OutboundHttpModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookFanout, WebhookDispatcher],
})
export class WebhooksModule {}
