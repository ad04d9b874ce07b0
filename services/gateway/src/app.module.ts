import { Module } from '@nestjs/common';
import { TOPICS } from '@okc/contracts';
import { MessagingModule } from '@okc/messaging';
import { AboutModule, RedisModule, RuntimeModule } from '@okc/runtime';
import { LandingModule } from './landing/landing.module';
import { configSchema, SERVICE_NAME } from './config';

@Module({
  imports: [
    // Cross-cutting first (config, logging, health, metrics, errors), then infrastructure, then features.
    RuntimeModule.forService({ name: SERVICE_NAME, configSchema }),
    RedisModule.forRoot(),
    // Topics it will consume; a topic is subscribed once a feature registers a handler for it.
    MessagingModule.forService({ consumes: [TOPICS.identityUsers] }),
    AboutModule.forApi('api/v1/gateway'),
    LandingModule,
  ],
})
export class AppModule {}
