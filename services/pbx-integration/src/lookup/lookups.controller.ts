import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { Roles, TenantId } from '@okc/auth';
import { ApiBodyOf, ApiIdParam, ErrorDto, IdParams, ZodValidationPipe } from '@okc/runtime';
import { LookupService } from './lookup.service';
import { LookupConnectorsService } from './lookup-connectors.service';
import {
  createLookupConnectorSchema,
  type CreateLookupConnectorInput,
  LookupConnectorDto,
  LookupConnectorListDto,
  lookupIdParamsSchema,
  LookupTestResultDto,
  testLookupSchema,
  type TestLookupInput,
  toLookupConnectorDto,
  updateLookupConnectorDocSchema,
  updateLookupConnectorSchema,
  type UpdateLookupConnectorInput,
} from './lookups.dto';
import { PbxApi } from '../http/pbx-api.decorator';

const EXAMPLE_ID = '0b6f5c1e-8a5e-4f5e-9a40-6f1f2f0d9c11';

/** A tenant's caller-lookup connectors: admins write and test; supervisors read. Secrets are never returned. */
@PbxApi('lookups', ['admin', 'supervisor'])
@Controller('api/v1/pbx/lookups')
export class LookupsController {
  constructor(
    private readonly connectors: LookupConnectorsService,
    private readonly lookups: LookupService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The tenant’s lookup connectors, in priority order' })
  @ApiOkResponse({ type: LookupConnectorListDto })
  async list(@TenantId() tenantId: string): Promise<LookupConnectorListDto> {
    return { items: (await this.connectors.list(tenantId)).map(toLookupConnectorDto) };
  }

  @Get(':id')
  @ApiIdParam('Lookup connector id', EXAMPLE_ID)
  @ApiOperation({ summary: 'One lookup connector' })
  @ApiOkResponse({ type: LookupConnectorDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async get(
    @TenantId() tenantId: string,
    @IdParams(lookupIdParamsSchema) { id }: { id: string },
  ): Promise<LookupConnectorDto> {
    return toLookupConnectorDto(await this.connectors.get(tenantId, id));
  }

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary: 'Add a lookup connector: http-json (a URL answering JSON) or mysql (a read-only SELECT)',
  })
  @ApiBodyOf(createLookupConnectorSchema)
  @ApiCreatedResponse({ type: LookupConnectorDto })
  async create(
    @TenantId() tenantId: string,
    @Body(new ZodValidationPipe(createLookupConnectorSchema)) body: CreateLookupConnectorInput,
  ): Promise<LookupConnectorDto> {
    return toLookupConnectorDto(await this.connectors.create(tenantId, body));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiIdParam('Lookup connector id', EXAMPLE_ID)
  @ApiOperation({
    summary: 'Change a connector (not its type); given headers or password replace the stored ones',
  })
  @ApiBodyOf(updateLookupConnectorDocSchema)
  @ApiOkResponse({ type: LookupConnectorDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async update(
    @TenantId() tenantId: string,
    @IdParams(lookupIdParamsSchema) { id }: { id: string },
    @Body(new ZodValidationPipe(updateLookupConnectorSchema)) body: UpdateLookupConnectorInput,
  ): Promise<LookupConnectorDto> {
    return toLookupConnectorDto(await this.connectors.update(tenantId, id, body));
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiIdParam('Lookup connector id', EXAMPLE_ID)
  @ApiOperation({ summary: 'Remove a lookup connector' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorDto })
  async remove(
    @TenantId() tenantId: string,
    @IdParams(lookupIdParamsSchema) { id }: { id: string },
  ): Promise<void> {
    await this.connectors.remove(tenantId, id);
  }

  @Post(':id/test')
  @Roles('admin')
  @HttpCode(200)
  @ApiIdParam('Lookup connector id', EXAMPLE_ID)
  @ApiOperation({
    summary:
      'Run the connector once for a number (no cache; disabled ones too): what it found, how long it took, or why it failed',
  })
  @ApiBodyOf(testLookupSchema)
  @ApiOkResponse({ type: LookupTestResultDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async test(
    @TenantId() tenantId: string,
    @IdParams(lookupIdParamsSchema) { id }: { id: string },
    @Body(new ZodValidationPipe(testLookupSchema)) body: TestLookupInput,
  ): Promise<LookupTestResultDto> {
    return this.lookups.test(tenantId, id, body.number);
  }
}
