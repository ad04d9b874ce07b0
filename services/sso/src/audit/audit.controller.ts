import { Controller, Get } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Roles, TenantId } from '@okc/auth';
import { ApiQueryOf, ErrorDto, ValidQuery } from '../admin/admin-http';
import { type AuditQueryInput, AuditPageDto, auditQuerySchema, toAuditEntryDto } from './audit.dto';
import { AuditService } from './audit.service';

/** The caller's tenant's audit log: sign-ins, failures, lockouts, token grants and admin changes. */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('admin')
@ApiUnauthorizedResponse({ description: 'No valid access token', type: ErrorDto })
@ApiForbiddenResponse({ description: 'The token lacks role `admin`', type: ErrorDto })
@Controller('api/v1/sso/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Audit entries, newest first; page with `before` = the previous `nextCursor`' })
  @ApiQueryOf(auditQuerySchema)
  @ApiOkResponse({ type: AuditPageDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: a bad query parameter', type: ErrorDto })
  async query(
    @TenantId() tenantId: string,
    @ValidQuery(auditQuerySchema) q: AuditQueryInput,
  ): Promise<AuditPageDto> {
    const { items, nextCursor } = await this.audit.query(tenantId, q);
    return { items: items.map(toAuditEntryDto), nextCursor: nextCursor === null ? null : String(nextCursor) };
  }
}
