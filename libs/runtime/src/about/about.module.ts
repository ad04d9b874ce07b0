import { Controller, type DynamicModule, Get, Inject, Module, type Type } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { SERVICE_INFO, type ServiceInfo } from '../config/config.tokens';
import { PublicRoute } from '../http/public-route';

export class AboutDto {
  @ApiProperty({ example: 'focus' })
  service!: string;

  @ApiProperty({ example: '0.1.0', description: 'SERVICE_VERSION, or "dev" when unset.' })
  version!: string;
}

/** `GET <prefix>/about` → `{ service, version }`: which service and build answers. Public (it tells nothing secret). */
export function aboutControllerFor(prefix: string): Type<{ about(): AboutDto }> {
  @ApiTags('about')
  @PublicRoute()
  @Controller(prefix)
  class AboutController {
    constructor(@Inject(SERVICE_INFO) private readonly info: ServiceInfo) {}

    @Get('about')
    @ApiOperation({ summary: 'Which service and version answers' })
    @ApiOkResponse({ type: AboutDto })
    about(): AboutDto {
      return { service: this.info.name, version: this.info.version };
    }
  }
  return AboutController;
}

/** `AboutModule.forApi('api/v1/focus')` in a service's AppModule. */
@Module({})
export class AboutModule {
  static forApi(prefix: string): DynamicModule {
    return { module: AboutModule, controllers: [aboutControllerFor(prefix)] };
  }
}
