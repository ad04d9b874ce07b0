import { Body, Controller, Delete, Get, HttpCode, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { TenantId } from '@okc/auth';
import { ApiBodyOf, ApiIdParam, ErrorDto, IdParams, ZodValidationPipe } from '@okc/runtime';
import {
  createWebhookSchema,
  type CreateWebhookInput,
  DeliveryListDto,
  toDeliveryDto,
  toWebhookDto,
  updateWebhookSchema,
  type UpdateWebhookInput,
  WebhookDto,
  webhookIdParamsSchema,
  WebhookListDto,
  WebhookWithSecretDto,
} from './webhooks.dto';
import { WebhooksService } from './webhooks.service';
import { PbxApi } from '../http/pbx-api.decorator';

const EXAMPLE_ID = '7d1f0c2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f';

/** A tenant's outbound webhooks and their delivery log (admins). */
@PbxApi('webhooks', ['admin'])
@Controller('api/v1/pbx/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @ApiOperation({ summary: 'The tenant’s webhooks' })
  @ApiOkResponse({ type: WebhookListDto })
  async list(@TenantId() tenantId: string): Promise<WebhookListDto> {
    return { items: (await this.webhooks.list(tenantId)).map(toWebhookDto) };
  }

  @Post()
  @ApiOperation({
    summary: 'Register a URL for event types; the answer carries the signing secret, once',
    description:
      'Each delivery is a POST of the event envelope with X-OKC-Timestamp and X-OKC-Signature: ' +
      'v1=hex(HMAC-SHA256(secret, "<timestamp>.<body>")), X-OKC-Delivery, X-OKC-Event, X-OKC-Event-Id. ' +
      'Answer 2xx within the timeout; anything else is retried with growing delays.',
  })
  @ApiBodyOf(createWebhookSchema)
  @ApiCreatedResponse({ type: WebhookWithSecretDto })
  async create(
    @TenantId() tenantId: string,
    @Body(new ZodValidationPipe(createWebhookSchema)) body: CreateWebhookInput,
  ): Promise<WebhookWithSecretDto> {
    const { webhook, secret } = await this.webhooks.create(tenantId, body);
    return { ...toWebhookDto(webhook), secret };
  }

  @Get(':id')
  @ApiIdParam('Webhook id', EXAMPLE_ID)
  @ApiOkResponse({ type: WebhookDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async get(
    @TenantId() tenantId: string,
    @IdParams(webhookIdParamsSchema) { id }: { id: string },
  ): Promise<WebhookDto> {
    return toWebhookDto(await this.webhooks.get(tenantId, id));
  }

  @Patch(':id')
  @ApiIdParam('Webhook id', EXAMPLE_ID)
  @ApiOperation({ summary: 'Change the URL or types, disable, or re-enable (clears the failure count)' })
  @ApiBodyOf(updateWebhookSchema)
  @ApiOkResponse({ type: WebhookDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async update(
    @TenantId() tenantId: string,
    @IdParams(webhookIdParamsSchema) { id }: { id: string },
    @Body(new ZodValidationPipe(updateWebhookSchema)) body: UpdateWebhookInput,
  ): Promise<WebhookDto> {
    return toWebhookDto(await this.webhooks.update(tenantId, id, body));
  }

  @Post(':id/secret')
  @ApiIdParam('Webhook id', EXAMPLE_ID)
  @ApiOperation({ summary: 'A new signing secret, shown once; the old one stops at once' })
  @ApiCreatedResponse({ type: WebhookWithSecretDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async rotate(
    @TenantId() tenantId: string,
    @IdParams(webhookIdParamsSchema) { id }: { id: string },
  ): Promise<WebhookWithSecretDto> {
    const { webhook, secret } = await this.webhooks.rotateSecret(tenantId, id);
    return { ...toWebhookDto(webhook), secret };
  }

  @Get(':id/deliveries')
  @ApiIdParam('Webhook id', EXAMPLE_ID)
  @ApiOperation({ summary: 'The delivery log, newest first (50): status, attempts, last answer, next retry' })
  @ApiOkResponse({ type: DeliveryListDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async deliveries(
    @TenantId() tenantId: string,
    @IdParams(webhookIdParamsSchema) { id }: { id: string },
  ): Promise<DeliveryListDto> {
    return { items: (await this.webhooks.deliveries(tenantId, id)).map(toDeliveryDto) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiIdParam('Webhook id', EXAMPLE_ID)
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorDto })
  async remove(
    @TenantId() tenantId: string,
    @IdParams(webhookIdParamsSchema) { id }: { id: string },
  ): Promise<void> {
    await this.webhooks.remove(tenantId, id);
  }
}
