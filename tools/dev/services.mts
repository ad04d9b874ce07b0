/**
 * The services `npm start` and `npm run migrate` run, with their default ports and databases.
 * Database users and passwords come from deploy/local/databases.mts (local development values only).
 */
import { SERVICE_DATABASES, type DatabaseService } from '../../deploy/local/databases.mts';

export interface DevService {
  readonly name: string;
  readonly port: number;
  /** Path prefix of its REST API. */
  readonly api: string;
  readonly database?: DatabaseService;
}

export const DEV_SERVICES: readonly DevService[] = [
  { name: 'sso', port: 3001, api: '/api/v1/sso', database: 'sso' },
  { name: 'pbx-integration', port: 3002, api: '/api/v1/pbx', database: 'pbx-integration' },
  { name: 'focus', port: 3003, api: '/api/v1/focus', database: 'focus' },
  { name: 'statix', port: 3004, api: '/api/v1/statix', database: 'statix' },
  { name: 'helper', port: 3005, api: '/api/v1/helper', database: 'helper' },
  { name: 'gateway', port: 8080, api: '/api/v1/gateway' },
];

/** The environment a service gets in local development. */
export function devEnv(service: DevService, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    NODE_ENV: base.NODE_ENV === 'production' ? 'production' : 'development',
    PORT: String(service.port),
    LOG_LEVEL: base.LOG_LEVEL ?? 'info',
    KAFKA_BROKERS: base.KAFKA_BROKERS ?? '127.0.0.1:9092',
    REDIS_URL: base.REDIS_URL ?? 'redis://127.0.0.1:6379',
    PUBLIC_URL: base.PUBLIC_URL ?? 'http://localhost:8080',
    // Tokens name the public issuer (through the gateway); services fetch its keys from sso directly.
    OIDC_ISSUER: base.OIDC_ISSUER ?? `${base.PUBLIC_URL ?? 'http://localhost:8080'}/sso`,
    OIDC_DISCOVERY_URL: base.OIDC_DISCOVERY_URL ?? 'http://127.0.0.1:3001/sso',
  };
  if (service.database) {
    const db = SERVICE_DATABASES[service.database];
    Object.assign(env, {
      DB_HOST: base.DB_HOST ?? '127.0.0.1',
      DB_PORT: base.DB_PORT ?? '3306',
      DB_USER: db.user,
      DB_PASSWORD: db.password,
      DB_NAME: db.database,
    });
  }
  return env;
}
