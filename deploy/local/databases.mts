/**
 * One MariaDB/MySQL database and one user per service (ARCHITECTURE.md §7). Each user is granted ALL on its own
 * database only, for the hosts '127.0.0.1' and 'localhost'.
 *
 * The passwords below are LOCAL DEVELOPMENT PASSWORDS ONLY, for databases on 127.0.0.1 that hold test data.
 * They are not secrets and must never be used for any other environment; production credentials come from
 * the deployment's secret store.
 */
export interface ServiceDatabase {
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

export const SERVICE_DATABASES = {
  sso: { database: 'okc_sso', user: 'okc_sso', password: 'okc-local-sso' },
  'pbx-integration': { database: 'okc_pbx', user: 'okc_pbx', password: 'okc-local-pbx' },
  focus: { database: 'okc_focus', user: 'okc_focus', password: 'okc-local-focus' },
  statix: { database: 'okc_statix', user: 'okc_statix', password: 'okc-local-statix' },
  helper: { database: 'okc_helper', user: 'okc_helper', password: 'okc-local-helper' },
} as const satisfies Record<string, ServiceDatabase>;

export type DatabaseService = keyof typeof SERVICE_DATABASES;

/** Hosts every service user is created for. */
export const DATABASE_USER_HOSTS = ['127.0.0.1', 'localhost'] as const;

export const DATABASE_CHARSET = 'utf8mb4';
export const DATABASE_COLLATION = 'utf8mb4_unicode_ci';
