import { Module } from '@nestjs/common';
import { TOPICS } from '@okc/contracts';
import { MessagingModule } from '@okc/messaging';
import { PersistenceModule } from '@okc/persistence';
import { AboutModule, RedisModule, RuntimeModule } from '@okc/runtime';
import { configSchema, SERVICE_NAME } from './config';
import { entities } from './entities';
import { migrations } from './migrations';

@Module({
  imports: [
    // Cross-cutting first (config, logging, health, metrics, errors), then infrastructure, then features.
    RuntimeModule.forService({ name: SERVICE_NAME, configSchema }),
    RedisModule.forRoot(),
    PersistenceModule.forService({ service: SERVICE_NAME, entities, migrations }),
    // Topics it will consume; a topic is subscribed once a feature registers a handler for it.
    MessagingModule.forService({
      consumes: [
        TOPICS.telephonyCalls,
        TOPICS.telephonyAgents,
        TOPICS.focusAgentStates,
        TOPICS.focusDispositions,
        TOPICS.helperTopics,
        TOPICS.identityUsers,
      ],
    }),
    AboutModule.forApi('api/v1/statix'),
  ],
})
export class AppModule {}
