import { Body, Controller, Get, HttpCode, HttpStatus, Patch, Post } from '@nestjs/common';
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
import { AdminApi, type AdminCaller, Caller, clientIdParamsSchema } from '../admin/admin-http';
import {
  ClientDto,
  ClientListDto,
  ClientSecretDto,
  CreatedClientDto,
  createClientSchema,
  type CreateClientInput,
  toClientDto,
  updateClientSchema,
  type UpdateClientInput,
} from './clients.dto';
import { ClientsService } from './clients.service';

/** OIDC clients of the caller's tenant: third-party apps and integrators. Another tenant's client id: 404. */
@AdminApi('clients')
@Controller('api/v1/sso/clients')
export class ClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Get()
  @ApiOperation({ summary: 'The tenant’s OIDC clients' })
  @ApiOkResponse({ type: ClientListDto })
  async list(@TenantId() tenantId: string): Promise<ClientListDto> {
    return { items: (await this.clients.list(tenantId)).map(toClientDto) };
  }

  @Post()
  @ApiOperation({
    summary: 'Register a client',
    description:
      'A confidential client’s `clientSecret` is in this response only (sso stores its hash). Integrators use ' +
      'the client-credentials grant at `/sso/token` and get role `integrator`.',
  })
  @ApiBodyOf(createClientSchema)
  @ApiCreatedResponse({ type: CreatedClientDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED naming each bad field', type: ErrorDto })
  async create(
    @TenantId() tenantId: string,
    @Caller() caller: AdminCaller,
    @Body(new ZodValidationPipe(createClientSchema)) body: CreateClientInput,
  ): Promise<CreatedClientDto> {
    const { client, clientSecret } = await this.clients.create(tenantId, caller, body);
    return { ...toClientDto(client), ...(clientSecret === null ? {} : { clientSecret }) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One client' })
  @ApiIdParam('Client id', 'int_Hk3v9Q0aZbW2xYr1')
  @ApiOkResponse({ type: ClientDto })
  @ApiNotFoundResponse({ description: 'No such client in this tenant', type: ErrorDto })
  async get(
    @TenantId() tenantId: string,
    @IdParams(clientIdParamsSchema) { id }: { id: string },
  ): Promise<ClientDto> {
    return toClientDto(await this.clients.get(tenantId, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, change redirect URIs of, or (de)activate a client' })
  @ApiIdParam('Client id', 'int_Hk3v9Q0aZbW2xYr1')
  @ApiBodyOf(updateClientSchema)
  @ApiOkResponse({ type: ClientDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED naming each bad field', type: ErrorDto })
  @ApiNotFoundResponse({ description: 'No such client in this tenant', type: ErrorDto })
  async update(
    @TenantId() tenantId: string,
    @Caller() caller: AdminCaller,
    @IdParams(clientIdParamsSchema) { id }: { id: string },
    @Body(new ZodValidationPipe(updateClientSchema)) body: UpdateClientInput,
  ): Promise<ClientDto> {
    return toClientDto(await this.clients.update(tenantId, caller, id, body));
  }

  @Post(':id/secret')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Replace a confidential client’s secret; the new one is shown once' })
  @ApiIdParam('Client id', 'int_Hk3v9Q0aZbW2xYr1')
  @ApiOkResponse({ type: ClientSecretDto })
  @ApiNotFoundResponse({ description: 'No such client in this tenant', type: ErrorDto })
  @ApiConflictResponse({ description: 'CLIENT_IS_PUBLIC: a public client has no secret', type: ErrorDto })
  async rotateSecret(
    @TenantId() tenantId: string,
    @Caller() caller: AdminCaller,
    @IdParams(clientIdParamsSchema) { id }: { id: string },
  ): Promise<ClientSecretDto> {
    return { clientId: id, clientSecret: await this.clients.rotateSecret(tenantId, caller, id) };
  }
}
