import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@okc/auth';
import { TOPICS } from '@okc/contracts';
import { MessagingModule } from '@okc/messaging';
import { PersistenceModule } from '@okc/persistence';
import { AboutModule, RedisModule, RuntimeModule, type RuntimeModuleOptions } from '@okc/runtime';
import { configSchema, SERVICE_NAME } from './config';
import { CommandsModule } from './commands/commands.module';
import { ConnectionsModule } from './connections/connections.module';
import { LinksModule } from './links/links.module';
import { LookupModule } from './lookup/lookup.module';
import { ModesModule } from './modes/modes.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { entities } from './entities';
import { migrations } from './migrations';

/** What tests may override: the environment and where logs go (main.ts passes nothing). */
export type AppModuleOverrides = Pick<RuntimeModuleOptions, 'env' | 'logDestination'>;

@Module({})
export class AppModule {
  static forRoot(overrides: AppModuleOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Cross-cutting first (config, logging, health, metrics, errors), then infrastructure, then features.
        RuntimeModule.forService({ name: SERVICE_NAME, configSchema, ...overrides }),
        RedisModule.forRoot(),
        PersistenceModule.forService({ service: SERVICE_NAME, entities, migrations }),
        // Topics it will consume; a topic is subscribed once a feature registers a handler for it.
        MessagingModule.forService({
          consumes: [TOPICS.pbxCommands, TOPICS.telephonyCalls, TOPICS.telephonyAgents, TOPICS.pbxModes],
        }),
        // Every route needs a valid access token unless marked public (libs/auth).
        AuthModule.forService(),
        AuthModule.forApi('api/v1/pbx'),
        AboutModule.forApi('api/v1/pbx'),
        ConnectionsModule,
        LinksModule,
        ModesModule,
        CommandsModule,
        WebhooksModule,
        LookupModule,
      ],
    };
  }
}
