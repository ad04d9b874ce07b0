export * from './ami-message';
export * from './ami-parser';
export * from './ami-errors';
export * from './ami-backoff';
export * from './ami-client.types';
export * from './ami-client';
