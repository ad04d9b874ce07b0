import { Module } from '@nestjs/common';
import { REDIS_CLIENT, ROOT_LOGGER } from '@okc/runtime';
import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import { CorsOrigins } from './cors-origins';
import { TenantCorsConsumer } from './tenant-cors.consumer';

/** Each tenant's CORS allow-list, from sso's tenant events; the middleware in mount.ts reads it. */
@Module({
  providers: [
    {
      provide: CorsOrigins,
      inject: [REDIS_CLIENT, ROOT_LOGGER],
      useFactory: (redis: Redis, logger: Logger) =>
        new CorsOrigins(redis, logger.child({ component: 'cors' })),
    },
    TenantCorsConsumer,
  ],
  exports: [CorsOrigins],
})
export class CorsModule {}
