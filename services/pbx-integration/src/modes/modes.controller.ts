import { Body, Controller, Delete, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { type AuthPrincipal, CurrentUser, Roles, TenantId } from '@okc/auth';
import { ApiBodyOf, ZodValidationPipe } from '@okc/runtime';
import {
  AuditListDto,
  modeSettingsSchema,
  type ModeSettingsInput,
  ModesDto,
  overrideSchema,
  type OverrideInput,
} from './modes.dto';
import { ModesService } from './modes.service';
import { PbxApi } from '../http/pbx-api.decorator';

/** How the audit names who acted: `login@tenant`, or `client:<id>@tenant` for an integrator. */
export function actorOf(principal: AuthPrincipal): string {
  const who =
    principal.kind === 'client'
      ? `client:${principal.clientId ?? principal.subject}`
      : (principal.username ?? principal.subject);
  return `${who}@${principal.tenantId}`;
}

/** Operating modes (day, night, holiday…): read by anyone signed in, configured by admins, switched by supervisors. */
@PbxApi('modes')
@Controller('api/v1/pbx/modes')
export class ModesController {
  constructor(private readonly modes: ModesService) {}

  @Get()
  @ApiOperation({ summary: 'The mode in force, why, until when, and the settings' })
  @ApiOkResponse({ type: ModesDto })
  get(@TenantId() tenantId: string): Promise<ModesDto> {
    return this.modes.view(tenantId);
  }

  @Put()
  @Roles('admin')
  @ApiOperation({ summary: 'Replace the modes, weekly schedule, holidays and time zone' })
  @ApiBodyOf(modeSettingsSchema)
  @ApiOkResponse({ type: ModesDto })
  put(
    @TenantId() tenantId: string,
    @CurrentUser() principal: AuthPrincipal,
    @Body(new ZodValidationPipe(modeSettingsSchema)) body: ModeSettingsInput,
  ): Promise<ModesDto> {
    return this.modes.putSettings(tenantId, actorOf(principal), body);
  }

  @Put('override')
  @Roles('supervisor', 'admin')
  @ApiOperation({ summary: 'Switch the mode by hand, until a time or the next scheduled change' })
  @ApiBodyOf(overrideSchema)
  @ApiOkResponse({ type: ModesDto })
  override(
    @TenantId() tenantId: string,
    @CurrentUser() principal: AuthPrincipal,
    @Body(new ZodValidationPipe(overrideSchema)) body: OverrideInput,
  ): Promise<ModesDto> {
    return this.modes.setOverride(tenantId, actorOf(principal), body);
  }

  @Delete('override')
  @Roles('supervisor', 'admin')
  @ApiOperation({ summary: 'End the manual switch: the schedule decides again' })
  @ApiOkResponse({ type: ModesDto })
  clear(@TenantId() tenantId: string, @CurrentUser() principal: AuthPrincipal): Promise<ModesDto> {
    return this.modes.clearOverride(tenantId, actorOf(principal));
  }

  @Get('audit')
  @Roles('supervisor', 'admin')
  @ApiOperation({ summary: 'Who switched or reconfigured what, newest first (50)' })
  @ApiOkResponse({ type: AuditListDto })
  async audit(@TenantId() tenantId: string): Promise<AuditListDto> {
    const rows = await this.modes.auditLog(tenantId);
    return {
      items: rows.map((r) => ({
        at: r.at.toISOString(),
        actor: r.actor,
        action: r.action,
        details: r.details,
      })),
    };
  }
}
