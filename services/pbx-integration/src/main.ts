import { bootstrapService } from '@okc/runtime';
import { AppModule } from './app.module';
import { configSchema, SERVICE_NAME } from './config';

void bootstrapService({
  name: SERVICE_NAME,
  module: AppModule.forRoot(),
  configSchema,
  swagger: {
    title: 'OKC PBX integration',
    description:
      'Connects OKC to the tenant PBX (Asterisk AMI first): canonical call events, commands, modes.',
  },
});
