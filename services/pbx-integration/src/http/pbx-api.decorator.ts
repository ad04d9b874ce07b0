import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { type Role, Roles } from '@okc/auth';
import { ErrorDto } from '@okc/runtime';

/**
 * The class decorator of every REST controller of this service: its OpenAPI tag, the Bearer scheme, the 401
 * and 403 answers, and (when given) the roles that may call it, which methods may narrow with their own @Roles.
 */
export const PbxApi = (tag: string, roles: readonly Role[] = []): ClassDecorator =>
  applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No valid access token', type: ErrorDto }),
    ApiForbiddenResponse({ description: 'The token lacks the role', type: ErrorDto }),
    ...(roles.length > 0 ? [Roles(...roles)] : []),
  );
