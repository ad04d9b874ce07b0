import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { HttpResponse } from '../http/http.types';
import { PublicRoute } from '../http/public-route';
import { CheckResultDto, LivenessDto, ReadinessDto } from './health.dto';
import { ReadinessRegistry, type ReadinessReport } from './readiness.registry';

@ApiTags('health')
@ApiExtraModels(CheckResultDto)
@PublicRoute()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessRegistry) {}

  /** Answers while the process runs: dependencies never make it fail, so it never causes a restart loop. */
  @Get('live')
  @ApiOkResponse({ type: LivenessDto, description: 'The process is running.' })
  live(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOkResponse({ type: ReadinessDto, description: 'Every registered dependency check is up.' })
  @ApiServiceUnavailableResponse({
    type: ReadinessDto,
    description: 'At least one check is down or timed out.',
  })
  async ready(@Res({ passthrough: true }) res: HttpResponse): Promise<ReadinessReport> {
    const report = await this.readiness.evaluate();
    res.statusCode = report.status === 'ready' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE;
    return report;
  }
}
