import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';
}

export class CheckResultDto {
  @ApiProperty({ enum: ['up', 'down'] })
  status!: 'up' | 'down';

  @ApiPropertyOptional({ description: 'Why the check is down.' })
  error?: string;
}

export class ReadinessDto {
  @ApiProperty({ enum: ['ready', 'not_ready'] })
  status!: 'ready' | 'not_ready';

  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(CheckResultDto) } })
  checks!: Record<string, CheckResultDto>;

  @ApiPropertyOptional({ type: [String], description: 'Names of the checks that are down.' })
  failing?: string[];
}
