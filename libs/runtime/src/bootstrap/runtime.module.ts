import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import { type z } from 'zod';
import type { BaseConfig } from '../config/config.schemas';
import { APP_CONFIG, SERVICE_INFO, type ServiceInfo } from '../config/config.tokens';
import { loadConfig } from '../config/load-config';
import { AllExceptionsFilter } from '../errors/all-exceptions.filter';
import { HealthController } from '../health/health.controller';
import { READINESS_OPTIONS, ReadinessRegistry, type ReadinessOptions } from '../health/readiness.registry';
import { createRootLogger, pinoHttpOptions, ROOT_LOGGER } from '../logging/logger.factory';
import { MetricsController } from '../metrics/metrics.controller';
import { MetricsService } from '../metrics/metrics.service';

export interface RuntimeModuleOptions {
  /** Service name: the `service` field of logs and label of metrics. */
  readonly name: string;
  /** The service's env schema, built on `baseConfigSchema`. */
  readonly configSchema: z.ZodType<BaseConfig>;
  /** Environment to parse; `process.env` when absent (tests pass their own). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where log lines go; stdout when absent (tests pass a stream to read them). */
  readonly logDestination?: DestinationStream;
  /** Default timeout of one readiness check (2 s). */
  readonly readinessTimeoutMs?: number;
}

/** Holds the providers LoggerModule's factory needs, so it can import them without a cycle. */
@Module({})
class RuntimeCoreModule {}

/**
 * Everything cross-cutting a service needs, imported once by its AppModule:
 * `RuntimeModule.forService({ name: 'focus', configSchema })`. Global: provides `APP_CONFIG`,
 * `SERVICE_INFO`, `ROOT_LOGGER`, `ReadinessRegistry`, `MetricsService` to every module; serves
 * `/health/live`, `/health/ready` and `/metrics`; installs the pino logger and the exception filter.
 */
@Global()
@Module({})
export class RuntimeModule {
  static forService(options: RuntimeModuleOptions): DynamicModule {
    const core: DynamicModule = {
      module: RuntimeCoreModule,
      providers: [
        { provide: APP_CONFIG, useFactory: () => loadConfig(options.configSchema, options.env) },
        {
          provide: SERVICE_INFO,
          useFactory: (config: BaseConfig): ServiceInfo => ({
            name: options.name,
            version: config.SERVICE_VERSION ?? 'dev',
          }),
          inject: [APP_CONFIG],
        },
        {
          provide: ROOT_LOGGER,
          useFactory: (config: BaseConfig, info: ServiceInfo) =>
            createRootLogger({
              service: info.name,
              version: info.version,
              level: config.LOG_LEVEL,
              ...(options.logDestination ? { destination: options.logDestination } : {}),
            }),
          inject: [APP_CONFIG, SERVICE_INFO],
        },
      ],
      exports: [APP_CONFIG, SERVICE_INFO, ROOT_LOGGER],
    };
    const readinessOptions: ReadinessOptions | undefined =
      options.readinessTimeoutMs === undefined ? undefined : { timeoutMs: options.readinessTimeoutMs };

    return {
      module: RuntimeModule,
      global: true,
      imports: [
        core,
        LoggerModule.forRootAsync({
          imports: [core],
          inject: [ROOT_LOGGER],
          useFactory: (logger: PinoLogger) => ({ pinoHttp: pinoHttpOptions(logger) }),
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        ...(readinessOptions ? [{ provide: READINESS_OPTIONS, useValue: readinessOptions }] : []),
        ReadinessRegistry,
        MetricsService,
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
      exports: [core, ReadinessRegistry, MetricsService],
    };
  }
}
