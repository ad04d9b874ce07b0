import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger as PinoLogger } from 'pino';
import type { RedisConfig } from '../config/config.schemas';
import { APP_CONFIG } from '../config/config.tokens';
import { ReadinessRegistry } from '../health/readiness.registry';
import { ROOT_LOGGER } from '../logging/logger.factory';
import { closeRedisClient, createRedisClient } from './redis.client';

/** Injection token of the service's ioredis client: `@Inject(REDIS_CLIENT) redis: Redis`. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** Registers the `redis` readiness check (PING) and closes the client once HTTP has stopped. */
@Injectable()
class RedisLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(REDIS_CLIENT) private readonly client: Redis,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness.register({
      name: 'redis',
      check: async () => {
        // Rejects at once while disconnected: the client has no offline queue.
        await this.client.ping();
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.readiness.unregister('redis');
    await closeRedisClient(this.client);
  }
}

/**
 * One ioredis client per service, configured from `REDIS_URL` and `REDIS_KEY_PREFIX` (the service's config
 * schema must include `redisConfigSchema`). Needs `RuntimeModule.forService` for the config and readiness.
 */
@Module({})
export class RedisModule {
  static forRoot(): DynamicModule {
    return {
      module: RedisModule,
      global: true,
      providers: [
        {
          provide: REDIS_CLIENT,
          useFactory: (config: RedisConfig, root: PinoLogger) =>
            createRedisClient(config, root.child({ context: 'Redis' })),
          inject: [APP_CONFIG, ROOT_LOGGER],
        },
        RedisLifecycle,
      ],
      exports: [REDIS_CLIENT],
    };
  }
}
