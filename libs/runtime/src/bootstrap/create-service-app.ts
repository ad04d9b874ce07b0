import { type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { BaseConfig } from '../config/config.schemas';
import { APP_CONFIG, SERVICE_INFO, type ServiceInfo } from '../config/config.tokens';
import { requestIdMiddleware } from '../logging/request-id';
import { MetricsService } from '../metrics/metrics.service';

export interface SwaggerOptions {
  readonly title: string;
  readonly description: string;
  /**
   * Builds, per request of `/docs` or `/docs-json`, the document served from the service's own one (the
   * gateway serves the integrator API of every service this way). Must not throw.
   */
  readonly patchDocument?: (
    app: NestExpressApplication,
  ) => (document: OpenAPIObject) => Promise<OpenAPIObject>;
}

export interface ServiceAppOptions {
  /** Serves Swagger UI at `/docs` and the OpenAPI JSON at `/docs-json` when given. */
  readonly swagger?: SwaggerOptions;
  /**
   * Mounts raw Express middleware ahead of the body parsers and Nest's routes, for a sub-application
   * that reads its own bodies (sso mounts oidc-provider at `/sso` this way).
   */
  readonly mount?: (app: NestExpressApplication) => void;
}

/**
 * Creates (without listening) the Nest application of a service whose module imports
 * `RuntimeModule.forService`. The order of the Express middleware matters: request id first (so every
 * response carries one, even a 400 for a malformed body), then request timing, then the body parsers with
 * the configured limit, then Nest's own middleware (pino-http) and routes.
 */
export async function createServiceApp(
  module: Type<unknown> | DynamicModule,
  options: ServiceAppOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  const config = app.get<BaseConfig>(APP_CONFIG);
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  app.use(app.get(MetricsService).httpMiddleware());
  options.mount?.(app);
  app.useBodyParser('json', { limit: config.HTTP_BODY_LIMIT });
  app.useBodyParser('urlencoded', { limit: config.HTTP_BODY_LIMIT, extended: true });
  if (options.swagger) setupSwagger(app, options.swagger, app.get<ServiceInfo>(SERVICE_INFO));
  return app;
}

function setupSwagger(app: NestExpressApplication, swagger: SwaggerOptions, info: ServiceInfo): void {
  const document = new DocumentBuilder()
    .setTitle(swagger.title)
    .setDescription(swagger.description)
    .setVersion(info.version)
    // The scheme libs/auth's @ApiBearerAuth() routes refer to: an access token from sso.
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  // A factory: the document is built on first request, once every route is registered.
  const patch = swagger.patchDocument?.(app);
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, document), {
    jsonDocumentUrl: 'docs-json',
    ...(patch ? { patchDocumentOnRequest: (_req, _res, own) => patch(own) } : {}),
  });
}
