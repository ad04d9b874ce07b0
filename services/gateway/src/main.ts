import { bootstrapService } from '@okc/runtime';
import { AppModule } from './app.module';
import { configSchema, SERVICE_NAME } from './config';
import { mountGateway } from './mount';

void bootstrapService({
  name: SERVICE_NAME,
  module: AppModule.forRoot(),
  configSchema,
  swagger: {
    title: 'OKC gateway',
    description:
      'The single public entry: SPAs, browser sessions (BFF), REST and WebSocket proxy, integrator API.',
  },
  mount: mountGateway,
});
