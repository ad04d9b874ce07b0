import { Controller, Get, type Type } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ROLES } from '@okc/contracts';
import type { AuthPrincipal, Role } from '../principal';
import { CurrentUser } from './auth.decorators';

/** `AuthPrincipal` as JSON. */
export class PrincipalDto {
  @ApiProperty({ example: 'b3c1…', description: 'User id, or client id of a client-credentials token.' })
  subject!: string;

  @ApiProperty({ example: 'acme' })
  tenantId!: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['operator'] })
  roles!: Role[];

  @ApiPropertyOptional({ example: 'Ирина Петрова' })
  name?: string;

  @ApiPropertyOptional({ example: 'irina' })
  username?: string;

  @ApiPropertyOptional({ example: 'okc-web', description: 'The OIDC client the token was issued to.' })
  clientId?: string;

  @ApiProperty({ enum: ['user', 'client'] })
  kind!: 'user' | 'client';

  @ApiProperty({ type: [String], example: ['openid', 'profile'] })
  scope!: string[];

  @ApiPropertyOptional({ description: 'jti of the token.' })
  tokenId?: string;

  @ApiProperty({ type: String, format: 'date-time', description: 'When the access token expires.' })
  expiresAt!: string;
}

/** `GET <prefix>/whoami` → the principal of the token: lets a client or an operator check what it carries. */
export function whoamiControllerFor(
  prefix: string,
): Type<{ whoami(principal: AuthPrincipal): AuthPrincipal }> {
  @ApiTags('auth')
  @ApiBearerAuth()
  @Controller(prefix)
  class WhoamiController {
    @Get('whoami')
    @ApiOperation({ summary: 'Who the access token belongs to: subject, tenant, roles' })
    @ApiOkResponse({ type: PrincipalDto })
    @ApiUnauthorizedResponse({ description: 'No valid access token' })
    whoami(@CurrentUser() principal: AuthPrincipal): AuthPrincipal {
      return principal;
    }
  }
  return WhoamiController;
}
