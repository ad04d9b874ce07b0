import { Body, Controller, Get, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { TenantId } from '@okc/auth';
import { ApiBodyOf, ApiIdParam, ErrorDto, IdParams, ZodValidationPipe } from '@okc/runtime';
import { AdminApi, type AdminCaller, Caller, tenantIdParamsSchema } from '../admin/admin-http';
import { toUserDto } from '../users/users.dto';
import {
  CreatedTenantDto,
  createTenantSchema,
  type CreateTenantInput,
  TenantDto,
  TenantListDto,
  toTenantDto,
  updateTenantSchema,
  type UpdateTenantInput,
} from './tenants.dto';
import { TenantsService } from './tenants.service';

/** Tenants: platform admins only (role `admin` in `SSO_PLATFORM_TENANT`); a tenant's own admin gets 403. */
@AdminApi('tenants', 'platform')
@Controller('api/v1/sso/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @ApiOperation({ summary: 'Every tenant' })
  @ApiOkResponse({ type: TenantListDto })
  async list(): Promise<TenantListDto> {
    return { items: (await this.tenants.list()).map(toTenantDto) };
  }

  @Post()
  @ApiOperation({
    summary: 'Create a tenant',
    description:
      'Emits `tenant.created` on identity.users.v1 (key: the tenant id), and `user.created` for `admin`.',
  })
  @ApiBodyOf(createTenantSchema)
  @ApiCreatedResponse({ type: CreatedTenantDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED naming each bad field', type: ErrorDto })
  @ApiConflictResponse({ description: 'CONFLICT: the tenant id is taken', type: ErrorDto })
  async create(
    @TenantId() tenantId: string,
    @Caller() caller: AdminCaller,
    @Body(new ZodValidationPipe(createTenantSchema)) body: CreateTenantInput,
  ): Promise<CreatedTenantDto> {
    const { tenant, admin } = await this.tenants.create(tenantId, caller, body);
    return { ...toTenantDto(tenant), ...(admin ? { admin: toUserDto(admin) } : {}) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One tenant' })
  @ApiIdParam('Tenant id (slug)', 'acme')
  @ApiOkResponse({ type: TenantDto })
  @ApiNotFoundResponse({ description: 'No such tenant', type: ErrorDto })
  async get(@IdParams(tenantIdParamsSchema) { id }: { id: string }): Promise<TenantDto> {
    return toTenantDto(await this.tenants.get(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, change the language of, or (de)activate a tenant' })
  @ApiIdParam('Tenant id (slug)', 'acme')
  @ApiBodyOf(updateTenantSchema)
  @ApiOkResponse({ type: TenantDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED naming each bad field', type: ErrorDto })
  @ApiNotFoundResponse({ description: 'No such tenant', type: ErrorDto })
  @ApiConflictResponse({ description: 'CANNOT_DEACTIVATE_PLATFORM_TENANT', type: ErrorDto })
  async update(
    @TenantId() tenantId: string,
    @Caller() caller: AdminCaller,
    @IdParams(tenantIdParamsSchema) { id }: { id: string },
    @Body(new ZodValidationPipe(updateTenantSchema)) body: UpdateTenantInput,
  ): Promise<TenantDto> {
    return toTenantDto(await this.tenants.update(tenantId, caller, id, body));
  }
}
