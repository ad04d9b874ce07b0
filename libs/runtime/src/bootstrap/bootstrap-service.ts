import { type DynamicModule, type Type } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { type z } from 'zod';
import { ConfigError } from '../config/config.errors';
import type { BaseConfig } from '../config/config.schemas';
import { loadConfig } from '../config/load-config';
import { createRootLogger, ROOT_LOGGER } from '../logging/logger.factory';
import { createServiceApp, type SwaggerOptions } from './create-service-app';
import { installFatalHandlers, installGracefulShutdown } from './process-handlers';

export interface BootstrapOptions {
  readonly name: string;
  /** The service's AppModule; it imports `RuntimeModule.forService` with the same name and schema. */
  readonly module: Type<unknown> | DynamicModule;
  readonly configSchema: z.ZodType<BaseConfig>;
  readonly swagger: SwaggerOptions;
  /** See `ServiceAppOptions.mount`. */
  readonly mount?: (app: NestExpressApplication) => void;
}

/**
 * `main.ts` of every service. Validates the environment first (a bad or missing variable ends the process
 * with exit code 1 and a message naming it), then starts HTTP on PORT without waiting for any
 * infrastructure: DB, Kafka and Redis connect in the background and readiness reports them.
 * SIGTERM/SIGINT shut down gracefully (exit 0), a shutdown slower than SHUTDOWN_TIMEOUT_MS exits 1.
 */
export async function bootstrapService(options: BootstrapOptions): Promise<NestExpressApplication> {
  const config = loadConfigOrExit(options.name, options.configSchema);
  const bootLogger = createRootLogger({
    service: options.name,
    level: config.LOG_LEVEL,
    ...(config.SERVICE_VERSION ? { version: config.SERVICE_VERSION } : {}),
  });
  const fatal = installFatalHandlers(bootLogger);

  let app: NestExpressApplication;
  try {
    app = await createServiceApp(options.module, {
      swagger: options.swagger,
      ...(options.mount ? { mount: options.mount } : {}),
    });
  } catch (err) {
    bootLogger.fatal({ err }, `${options.name} failed to start`);
    process.exit(1);
  }
  const logger = app.get<Logger>(ROOT_LOGGER);
  fatal.useLogger(logger);
  // Nest runs onModuleDestroy / beforeApplicationShutdown / onApplicationShutdown, then exits 0.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  installGracefulShutdown(app, logger, config.SHUTDOWN_TIMEOUT_MS);

  try {
    await app.listen(config.PORT);
  } catch (err) {
    logger.fatal({ err }, `${options.name} cannot listen on port ${config.PORT}`);
    process.exit(1);
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ url: `http://localhost:${port}`, port }, `${options.name} listening`);
  return app;
}

function loadConfigOrExit(name: string, schema: z.ZodType<BaseConfig>): BaseConfig {
  try {
    return loadConfig(schema);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // Before any logger exists: one JSON line for log collectors, one plain line for a human at a terminal.
    const line = {
      level: 60,
      time: new Date().toISOString(),
      service: name,
      issues: err.issues,
      msg: err.message,
    };
    process.stderr.write(`${JSON.stringify(line)}\n`);
    process.stderr.write(`${name} cannot start. ${err.message}\n`);
    process.exit(1);
  }
}
