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
import { ConnectionStatusRegistry } from './connection-status';
import {
  ConnectionDto,
  connectionIdParamsSchema,
  ConnectionListDto,
  createConnectionSchema,
  type CreateConnectionInput,
  toConnectionDto,
  updateConnectionSchema,
  type UpdateConnectionInput,
} from './connections.dto';
import { ConnectionsService } from './connections.service';
import type { PbxConnection } from './pbx-connection.entity';
import { PbxApi } from '../http/pbx-api.decorator';

/** A tenant's PBX connections: admins write; supervisors and integrators read (with live status). */
@PbxApi('connections', ['admin', 'supervisor', 'integrator'])
@Controller('api/v1/pbx/connections')
export class ConnectionsController {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly status: ConnectionStatusRegistry,
  ) {}

  private dto(connection: PbxConnection): ConnectionDto {
    return toConnectionDto(connection, this.status.status(connection.id, connection.enabled));
  }

  @Get()
  @ApiOperation({ summary: 'The tenant’s PBX connections, with live status' })
  @ApiOkResponse({ type: ConnectionListDto })
  async list(@TenantId() tenantId: string): Promise<ConnectionListDto> {
    return { items: (await this.connections.list(tenantId)).map((c) => this.dto(c)) };
  }

  @Get(':id')
  @ApiIdParam('Connection id', '0b6f5c1e-8a5e-4f5e-9a40-6f1f2f0d9c11')
  @ApiOperation({ summary: 'One connection, with live status' })
  @ApiOkResponse({ type: ConnectionDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async get(
    @TenantId() tenantId: string,
    @IdParams(connectionIdParamsSchema) { id }: { id: string },
  ): Promise<ConnectionDto> {
    return this.dto(await this.connections.get(tenantId, id));
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Add a PBX connection (the secret is stored encrypted and never returned)' })
  @ApiBodyOf(createConnectionSchema)
  @ApiCreatedResponse({ type: ConnectionDto })
  async create(
    @TenantId() tenantId: string,
    @Body(new ZodValidationPipe(createConnectionSchema)) body: CreateConnectionInput,
  ): Promise<ConnectionDto> {
    return this.dto(await this.connections.create(tenantId, body));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiIdParam('Connection id', '0b6f5c1e-8a5e-4f5e-9a40-6f1f2f0d9c11')
  @ApiOperation({ summary: 'Change a connection; a new secret replaces the stored one' })
  @ApiBodyOf(updateConnectionSchema)
  @ApiOkResponse({ type: ConnectionDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async update(
    @TenantId() tenantId: string,
    @IdParams(connectionIdParamsSchema) { id }: { id: string },
    @Body(new ZodValidationPipe(updateConnectionSchema)) body: UpdateConnectionInput,
  ): Promise<ConnectionDto> {
    return this.dto(await this.connections.update(tenantId, id, body));
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiIdParam('Connection id', '0b6f5c1e-8a5e-4f5e-9a40-6f1f2f0d9c11')
  @ApiOperation({ summary: 'Remove a connection' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorDto })
  async remove(
    @TenantId() tenantId: string,
    @IdParams(connectionIdParamsSchema) { id }: { id: string },
  ): Promise<void> {
    await this.connections.remove(tenantId, id);
  }
}
