import { type DynamicModule, Module, type Provider, type Type } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { type z } from 'zod';
import {
  baseConfigSchema,
  type BaseConfig,
  createServiceApp,
  RuntimeModule,
  type SwaggerOptions,
} from '../src';

/** A JSON log line as the service writes it. */
export type LogLine = Record<string, unknown> & { level: number; msg?: string };

export interface TestApp {
  readonly app: NestExpressApplication;
  /** `http://127.0.0.1:<port>` of the listening app. */
  readonly url: string;
  /** Every log line written so far, parsed. */
  readonly logs: LogLine[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  readonly name?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly configSchema?: z.ZodType<BaseConfig>;
  readonly imports?: (Type<unknown> | DynamicModule)[];
  readonly controllers?: Type<unknown>[];
  readonly providers?: Provider[];
  readonly readinessTimeoutMs?: number;
  readonly swagger?: SwaggerOptions;
}

/**
 * Starts a real service app in-process on a free port, the way `bootstrapService` builds it (same
 * middleware order, logger, filter), with its log lines captured instead of printed.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const logs: LogLine[] = [];
  const destination = {
    write(line: string): void {
      logs.push(JSON.parse(line) as LogLine);
    },
  };
  const runtime = RuntimeModule.forService({
    name: options.name ?? 'test-service',
    configSchema: options.configSchema ?? baseConfigSchema,
    env: { PORT: '0', LOG_LEVEL: 'debug', ...options.env },
    logDestination: destination,
    ...(options.readinessTimeoutMs === undefined ? {} : { readinessTimeoutMs: options.readinessTimeoutMs }),
  });

  @Module({
    imports: [runtime, ...(options.imports ?? [])],
    controllers: options.controllers ?? [],
    providers: options.providers ?? [],
  })
  class TestAppModule {}

  const app = await createServiceApp(TestAppModule, options.swagger ? { swagger: options.swagger } : {});
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    logs,
    close: () => app.close(),
  };
}

/** Log lines that belong to one request. */
export function linesOfRequest(logs: readonly LogLine[], requestId: string): LogLine[] {
  return logs.filter((line) => line['requestId'] === requestId);
}
