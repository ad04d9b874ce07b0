import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, MetricsService } from '@okc/runtime';
import type { AuthConfig } from '../auth.config';
import { TokenVerifier, verifierOptionsFromConfig } from '../token-verifier';
import { OkcAuthGuard } from './auth.guard';
import { BearerStrategy } from './bearer.strategy';
import { whoamiControllerFor } from './whoami.controller';

/** Counter of every `TokenVerifier.verify`, by outcome (`accepted` or the rejection reason). */
export const TOKEN_VERIFICATIONS_METRIC = 'okc_auth_token_verifications_total';

function authConfigOf(config: Partial<AuthConfig> | undefined): AuthConfig {
  if (config?.OIDC_ISSUER === undefined || config.OIDC_AUDIENCE === undefined) {
    throw new Error(
      'AuthModule needs the OIDC_* settings: extend the service config schema with authConfigSchema ' +
        '(configSchema.extend(authConfigSchema.shape))',
    );
  }
  return config as AuthConfig;
}

/** Hosts the `whoami` controller of `AuthModule.forApi`. */
@Module({})
class AuthApiModule {}

/**
 * Authentication for a service, imported once by its AppModule after `RuntimeModule.forService`:
 * `AuthModule.forService()`. Global: provides `TokenVerifier` (for socket.io gateways too) and installs
 * the guard that requires a valid access token on every route not marked `@Public()`.
 */
@Global()
@Module({})
export class AuthModule {
  static forService(): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        {
          provide: TokenVerifier,
          useFactory: (config: Partial<AuthConfig> | undefined, metrics: MetricsService) => {
            const verifications = metrics.getOrCreateCounter({
              name: TOKEN_VERIFICATIONS_METRIC,
              help: 'Access token verifications by outcome: accepted, or why the token was rejected.',
              labelNames: ['outcome'],
            });
            return new TokenVerifier({
              ...verifierOptionsFromConfig(authConfigOf(config)),
              onOutcome: (outcome) => verifications.inc({ outcome }),
            });
          },
          inject: [APP_CONFIG, MetricsService],
        },
        BearerStrategy,
        { provide: APP_GUARD, useClass: OkcAuthGuard },
      ],
      exports: [TokenVerifier],
    };
  }

  /** `AuthModule.forApi('api/v1/focus')`: serves `GET api/v1/focus/whoami` (any authenticated caller). */
  static forApi(prefix: string): DynamicModule {
    return { module: AuthApiModule, controllers: [whoamiControllerFor(prefix)] };
  }
}
