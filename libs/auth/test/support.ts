import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { baseConfigSchema, createServiceApp, RuntimeModule } from '@okc/runtime';
import { authConfigSchema, AuthModule } from '../src';

export const configSchema = baseConfigSchema.extend(authConfigSchema.shape);

export interface AuthTestApp {
  readonly app: NestExpressApplication;
  /** `http://127.0.0.1:<port>` of the listening app. */
  readonly url: string;
  /** Every log line written so far, parsed. */
  readonly logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export interface AuthTestAppOptions {
  readonly env: Readonly<Record<string, string>>;
  readonly controllers?: Type<unknown>[];
  readonly imports?: (Type<unknown> | DynamicModule)[];
  /** Leave `authConfigSchema` out of the config schema (to test the misconfiguration). */
  readonly withoutAuthConfig?: boolean;
}

/**
 * A service app the way `bootstrapService` builds one (runtime's `createServiceApp`, Swagger on), with
 * `AuthModule.forService()` and `AuthModule.forApi('api/v1/test')`, listening on a free port, logs captured.
 */
export async function startAuthTestApp(options: AuthTestAppOptions): Promise<AuthTestApp> {
  const logs: Record<string, unknown>[] = [];
  const runtime = RuntimeModule.forService({
    name: 'auth-test',
    configSchema: options.withoutAuthConfig ? baseConfigSchema : configSchema,
    env: { PORT: '0', LOG_LEVEL: 'debug', ...options.env },
    logDestination: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  });

  @Module({
    imports: [runtime, AuthModule.forService(), AuthModule.forApi('api/v1/test'), ...(options.imports ?? [])],
    controllers: options.controllers ?? [],
  })
  class AuthTestAppModule {}

  const app = await createServiceApp(AuthTestAppModule, {
    swagger: { title: 'auth test', description: 'AuthModule under test' },
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}`, logs, close: () => app.close() };
}
