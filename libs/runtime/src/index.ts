// Config
export { ConfigError, type ConfigIssue } from './config/config.errors';
export { loadConfig } from './config/load-config';
export {
  baseConfigSchema,
  dbConfigSchema,
  kafkaConfigSchema,
  portSchema,
  publicUrlConfigSchema,
  redisConfigSchema,
  servicePort,
  serviceConfigSchema,
  type BaseConfig,
  type DbConfig,
  type KafkaConfig,
  type PublicUrlConfig,
  type RedisConfig,
} from './config/config.schemas';
export { APP_CONFIG, InjectConfig, SERVICE_INFO, type ServiceInfo } from './config/config.tokens';

// Logging
export {
  createRootLogger,
  REDACT_PATHS,
  ROOT_LOGGER,
  type RootLoggerOptions,
} from './logging/logger.factory';
export { isValidRequestId, REQUEST_ID_HEADER, resolveRequestId } from './logging/request-id';

// Health
export {
  DEFAULT_READINESS_TIMEOUT_MS,
  ReadinessRegistry,
  type CheckResult,
  type ReadinessCheck,
  type ReadinessReport,
} from './health/readiness.registry';

// Metrics
export { MetricsService } from './metrics/metrics.service';

// Redis
export { REDIS_CLIENT, RedisModule } from './redis/redis.module';
export { redisRetryDelay } from './redis/redis.client';

// Errors
export { DomainError, type DomainErrorOptions } from './errors/domain.error';
export { type ErrorBody } from './errors/error-body';
export {
  parseBody,
  parseInput,
  ValidationFailedError,
  ZodValidationPipe,
  type FieldViolation,
} from './errors/validation';

// Bootstrap
export { RuntimeModule, type RuntimeModuleOptions } from './bootstrap/runtime.module';
export { bootstrapService, type BootstrapOptions } from './bootstrap/bootstrap-service';
export {
  createServiceApp,
  type ServiceAppOptions,
  type SwaggerOptions,
} from './bootstrap/create-service-app';

// Routes without a token (libs/auth honours the mark)
export { PUBLIC_ROUTE_KEY, PublicRoute } from './http/public-route';
export {
  ApiBodyOf,
  ApiIdParam,
  ApiQueryOf,
  atLeastOneField,
  ConflictError,
  ErrorDto,
  IdParams,
  NotFoundError,
  openApiSchemaOf,
  queryBoolean,
  strictObject,
  ValidQuery,
} from './http/zod-http';

// About
export { AboutDto, AboutModule, aboutControllerFor } from './about/about.module';
