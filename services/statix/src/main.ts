import { bootstrapService } from '@okc/runtime';
import { AppModule } from './app.module';
import { configSchema, SERVICE_NAME } from './config';

void bootstrapService({
  name: SERVICE_NAME,
  module: AppModule.forRoot(),
  configSchema,
  swagger: {
    title: 'OKC STATIX',
    description: 'Statistics: real-time wallboard, historical and business reports, exports.',
  },
});
