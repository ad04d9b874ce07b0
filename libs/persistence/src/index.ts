export * from './data-source/data-source.factory';
export * from './data-source/database-connector';
export * from './tenancy/tenant-scoped.repository';
export * from './migrations/migration-runner';
export * from './migrations/migrate-cli';
export * from './nest/persistence.module';
export { isDuplicateKey } from './duplicate-key';
export { jsonText } from './columns/json-text';
