import { ApiProperty } from '@nestjs/swagger';

export class AboutDto {
  @ApiProperty({ example: 'sso' })
  service!: string;

  @ApiProperty({ example: '0.1.0', description: 'SERVICE_VERSION, or "dev" when unset.' })
  version!: string;
}
