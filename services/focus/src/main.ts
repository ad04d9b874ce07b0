import { bootstrapService } from '@okc/runtime';
import { AppModule } from './app.module';
import { configSchema, SERVICE_NAME } from './config';

void bootstrapService({
  name: SERVICE_NAME,
  module: AppModule.forRoot(),
  configSchema,
  swagger: {
    title: 'OKC FOCUS',
    description:
      'The agent workstation backend: agent state, calls in hand, call control, wrap-up, personal KPIs.',
  },
});
