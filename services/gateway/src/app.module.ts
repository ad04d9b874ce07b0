import { type DynamicModule, Module } from '@nestjs/common';
import { TOPICS } from '@okc/contracts';
import { MessagingModule } from '@okc/messaging';
import { AboutModule, RedisModule, RuntimeModule, type RuntimeModuleOptions } from '@okc/runtime';
import { CorsModule } from './cors/cors.module';
import { LandingModule } from './landing/landing.module';
import { configSchema, SERVICE_NAME } from './config';

/** What tests may override: the environment and where logs go (main.ts passes nothing). */
export type AppModuleOverrides = Pick<RuntimeModuleOptions, 'env' | 'logDestination'>;

/** The gateway's Nest part; sign-in, sessions and the proxies are mounted ahead of it (see mount.ts). */
@Module({})
export class AppModule {
  static forRoot(overrides: AppModuleOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Cross-cutting first (config, logging, health, metrics, errors), then infrastructure, then features.
        RuntimeModule.forService({ name: SERVICE_NAME, configSchema, ...overrides }),
        RedisModule.forRoot(),
        // Topics it will consume; a topic is subscribed once a feature registers a handler for it.
        MessagingModule.forService({ consumes: [TOPICS.identityUsers] }),
        AboutModule.forApi('api/v1/gateway'),
        LandingModule,
        CorsModule,
      ],
    };
  }
}
