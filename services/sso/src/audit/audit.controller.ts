import { ApiQueryOf, ErrorDto, ValidQuery } from '@okc/runtime';
import { Controller, Get } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { TenantId } from '@okc/auth';
import { AdminApi } from '../admin/admin-http';
import { type AuditQueryInput, AuditPageDto, auditQuerySchema, toAuditEntryDto } from './audit.dto';
import { AuditService } from './audit.service';

/** The caller's tenant's audit log: sign-ins, failures, lockouts, token grants and admin changes. */
@AdminApi('audit')
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
