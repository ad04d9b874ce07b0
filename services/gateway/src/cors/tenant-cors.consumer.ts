import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type Envelope, type EventOf, TOPICS } from '@okc/contracts';
import { EventConsumer } from '@okc/messaging';
import { ROOT_LOGGER } from '@okc/runtime';
import type { Logger } from 'pino';
import { CorsOrigins } from './cors-origins';

type TenantEvent = EventOf<typeof TOPICS.identityUsers, 'tenant.created' | 'tenant.updated'>;

/** Keeps the gateway's copy of each tenant's CORS allow-list from sso's tenant events. */
@Injectable()
export class TenantCorsConsumer implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly origins: CorsOrigins,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const apply = async (envelope: Envelope) => {
      const event = envelope as TenantEvent;
      await this.origins.set(event.tenantId, event.data.corsOrigins, event.data.active);
      this.logger.info(
        { tenant: event.tenantId, origins: event.data.corsOrigins, active: event.data.active },
        'tenant CORS allow-list updated',
      );
    };
    this.consumer.on(TOPICS.identityUsers, 'tenant.created', apply);
    this.consumer.on(TOPICS.identityUsers, 'tenant.updated', apply);
  }
}
