import { bootstrapService } from '@okc/runtime';
import { AppModule } from './app.module';
import { configSchema, SERVICE_NAME } from './config';

void bootstrapService({
  name: SERVICE_NAME,
  module: AppModule.forRoot(),
  configSchema,
  swagger: {
    title: 'OKC HELPER',
    description: 'Knowledge base, call scripts and regulations by call topic.',
  },
});
