import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource, type EntityTarget } from 'typeorm';
import type { Logger } from 'pino';
import { APP_CONFIG, ROOT_LOGGER, ReadinessRegistry, type DbConfig } from '@okc/runtime';
import { createDataSource, type ServiceDataSourceOptions } from '../data-source/data-source.factory';
import { DatabaseConnector } from '../data-source/database-connector';
import {
  forTenant,
  type TenantOwned,
  type TenantScopedRepository,
} from '../tenancy/tenant-scoped.repository';

export const DATABASE_CONNECTOR = Symbol('DATABASE_CONNECTOR');

/** Hands out tenant-scoped repositories: the way feature services reach tenant-owned tables. */
@Injectable()
export class TenantRepositories {
  constructor(private readonly dataSource: DataSource) {}

  for<T extends TenantOwned>(entity: EntityTarget<T>, tenantId: string): TenantScopedRepository<T> {
    return forTenant(this.dataSource.getRepository(entity), tenantId);
  }
}

@Injectable()
class PersistenceLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(DATABASE_CONNECTOR) private readonly connector: DatabaseConnector,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.readiness.register({ name: 'db', check: () => this.connector.check() });
    // Not awaited: the service comes up (not ready) while the database is away, and connects when it is back.
    this.connector.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.connector.stop();
  }
}

/**
 * The service's database: `PersistenceModule.forService({ service: 'focus', entities, migrations })`.
 * Reads DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME from the validated config. Provides `DataSource`,
 * `TenantRepositories` and the connector (whose `ready()` other libs await), registers the `db` readiness check.
 */
@Global()
@Module({})
export class PersistenceModule {
  static forService(options: ServiceDataSourceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        {
          provide: DATABASE_CONNECTOR,
          inject: [APP_CONFIG, ROOT_LOGGER],
          useFactory: (config: DbConfig, logger: Logger) =>
            new DatabaseConnector(
              createDataSource(
                {
                  host: config.DB_HOST,
                  port: config.DB_PORT,
                  user: config.DB_USER,
                  password: config.DB_PASSWORD,
                  database: config.DB_NAME,
                },
                options,
              ),
              logger.child({ component: 'database', database: config.DB_NAME }),
            ),
        },
        {
          provide: DataSource,
          inject: [DATABASE_CONNECTOR],
          useFactory: (c: DatabaseConnector) => c.dataSource,
        },
        TenantRepositories,
        PersistenceLifecycle,
      ],
      exports: [DATABASE_CONNECTOR, DataSource, TenantRepositories],
    };
  }
}
