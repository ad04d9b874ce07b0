export * from './infra/test-infra';
export * from './infra/test-database';
export * from './infra/test-topics';
export * from './factories/event.factory';
export * from './wait-for';
export * from './free-port';
export * from './http-session';
export * from './service-process';
