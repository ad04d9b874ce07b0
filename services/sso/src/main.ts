import { bootstrapService } from '@okc/runtime';
import { AppModule } from './app.module';
import { configSchema, SERVICE_NAME } from './config';
import { mountOidc } from './oidc/mount';

void bootstrapService({
  name: SERVICE_NAME,
  module: AppModule.forRoot(),
  configSchema,
  swagger: {
    title: 'OKC SSO',
    description:
      'Single sign-on for OKC: the OpenID Connect provider (issuer `<PUBLIC_URL>/sso`, discovery at ' +
      '`/sso/.well-known/openid-configuration`) and the identity admin API: tenants, users, roles, ' +
      'OIDC clients, signing keys and the audit log. Every admin route needs a Bearer access token ' +
      'with role `admin`.',
  },
  mount: mountOidc,
});
