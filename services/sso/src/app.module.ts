import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@okc/auth';
import { MessagingModule } from '@okc/messaging';
import { PersistenceModule } from '@okc/persistence';
import { AboutModule, RedisModule, RuntimeModule, type RuntimeModuleOptions } from '@okc/runtime';
import { configSchema, SERVICE_NAME } from './config';
import { entities } from './entities';
import { migrations } from './migrations';
import { AdminModule } from './admin/admin.module';
import { OidcModule } from './oidc/oidc.module';

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
        MessagingModule.forService({ consumes: [] }), // sso only produces (identity.users.v1)
        // sso checks the tokens of its own admin API like any service: against its own JWKS.
        AuthModule.forService(),
        AuthModule.forApi('api/v1/sso'),
        OidcModule,
        AdminModule,
        AboutModule.forApi('api/v1/sso'),
      ],
    };
  }
}
