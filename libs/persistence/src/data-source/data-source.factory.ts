import { DataSource, type DataSourceOptions } from 'typeorm';

export interface DbConnectionConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export interface ServiceDataSourceOptions {
  /** Used as the pool's name in logs and metrics. */
  service: string;
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations?: NonNullable<DataSourceOptions['migrations']>;
  poolSize?: number;
}

/**
 * TypeORM options that behave the same on MariaDB 10.11 (development) and MySQL 8.4 (production):
 * the `mysql` driver on mysql2, UTC on both sides, utf8mb4_unicode_ci, no schema synchronisation ever.
 */
export function dataSourceOptions(
  db: DbConnectionConfig,
  options: ServiceDataSourceOptions,
): DataSourceOptions {
  return {
    type: 'mysql',
    host: db.host,
    port: db.port,
    username: db.user,
    password: db.password,
    database: db.database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    dateStrings: false,
    supportBigNumbers: true,
    bigNumberStrings: false,
    entities: options.entities,
    migrations: options.migrations ?? [],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    poolSize: options.poolSize ?? 10,
    connectTimeout: 5000,
    extra: { enableKeepAlive: true },
  };
}

/**
 * A DataSource whose every pooled connection runs in UTC (`time_zone = '+00:00'`), so that server-side
 * defaults and `NOW(3)` agree with the `Z` timestamps the driver writes, whatever the server's zone is.
 */
export function createDataSource(db: DbConnectionConfig, options: ServiceDataSourceOptions): DataSource {
  return new UtcDataSource(dataSourceOptions(db, options));
}

class UtcDataSource extends DataSource {
  override async initialize(): Promise<this> {
    await super.initialize();
    const pool = (this.driver as unknown as { pool?: PoolLike }).pool;
    pool?.on('connection', (connection) => {
      connection.query("SET time_zone = '+00:00'");
    });
    // Connections the driver opened while initialising predate the listener: reset them too.
    await this.query("SET time_zone = '+00:00'");
    return this;
  }
}

interface PoolLike {
  on(event: 'connection', listener: (connection: { query(sql: string): unknown }) => void): void;
}
