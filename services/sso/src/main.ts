import { bootstrapService } from '@okc/runtime';
import { AppModule } from './app.module';
import { configSchema, SERVICE_NAME } from './config';

void bootstrapService({
  name: SERVICE_NAME,
  module: AppModule,
  configSchema,
  swagger: {
    title: 'OKC SSO',
    description: 'Single sign-on for OKC: OpenID Connect provider, users, roles, tenants, audit.',
  },
});
