import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SERVICE_INFO, type ServiceInfo } from '@okc/runtime';
import { AboutDto } from './about.dto';

/** Public for now: there is no authentication yet (libs/auth comes later). */
@ApiTags('about')
@Controller('api/v1/pbx')
export class AboutController {
  constructor(@Inject(SERVICE_INFO) private readonly info: ServiceInfo) {}

  @Get('about')
  @ApiOperation({ summary: 'Which service and version answers' })
  @ApiOkResponse({ type: AboutDto })
  about(): AboutDto {
    return { service: this.info.name, version: this.info.version };
  }
}
