import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_REGISTRY, TOPICS } from '@okc/contracts';
import { atLeastOneField, strictObject } from '@okc/runtime';
import { z } from 'zod';
import { DELIVERY_STATUSES, type Webhook, type WebhookDelivery } from './webhook.entities';

/** The topics whose events a webhook can receive: calls, queue members, operating modes. */
export const WEBHOOK_TOPICS = [TOPICS.telephonyCalls, TOPICS.telephonyAgents, TOPICS.pbxModes] as const;
export const WEBHOOK_EVENT_TYPES: readonly string[] = WEBHOOK_TOPICS.flatMap((topic) =>
  Object.keys(EVENT_REGISTRY[topic]),
);

const eventTypesSchema = z
  .array(
    z
      .string()
      .refine(
        (t) => t === '*' || WEBHOOK_EVENT_TYPES.includes(t),
        `one of ${WEBHOOK_EVENT_TYPES.join(', ')}, or *`,
      ),
  )
  .min(1)
  .max(50)
  .refine((types) => new Set(types).size === types.length, 'each type at most once')
  .describe('Event types to receive (`call.ended`, `member.paused`, `mode.changed`…), or `*` for all.');

const urlSchema = z
  .url({ protocol: /^https?$/, error: 'an http(s) URL' })
  .max(2048)
  .describe('Where events are POSTed (https in production).');

export const createWebhookSchema = strictObject({
  url: urlSchema,
  eventTypes: eventTypesSchema,
  enabled: z.boolean().default(true),
});
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;

export const updateWebhookSchema = strictObject({
  url: urlSchema.optional(),
  eventTypes: eventTypesSchema.optional(),
  enabled: z
    .boolean()
    .optional()
    .describe('Re-enabling a webhook disabled after failures clears the reason.'),
}).refine(atLeastOneField, 'nothing to change: name at least one field');
export type UpdateWebhookInput = z.infer<typeof updateWebhookSchema>;

export const webhookIdParamsSchema = strictObject({ id: z.guid('a webhook id is a UUID') });

export class WebhookDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'https://crm.example.com/okc/events' })
  url!: string;

  @ApiProperty({ type: [String], example: ['call.ended'] })
  eventTypes!: string[];

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ type: String, nullable: true, example: '20 failed attempts in a row; last: HTTP 500' })
  disabledReason!: string | null;

  @ApiProperty()
  consecutiveFailures!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class WebhookWithSecretDto extends WebhookDto {
  @ApiProperty({
    description: 'Shown once: signs every delivery (X-OKC-Signature). Keep it; it cannot be read again.',
  })
  secret!: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto] })
  items!: WebhookDto[];
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'Also sent as X-OKC-Delivery.' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  eventId!: string;

  @ApiProperty({ example: 'call.ended' })
  eventType!: string;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status!: string;

  @ApiProperty()
  attempts!: number;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  nextAttemptAt!: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true })
  lastStatusCode!: number | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  deliveredAt!: string | null;
}

export class DeliveryListDto {
  @ApiProperty({ type: [DeliveryDto] })
  items!: DeliveryDto[];
}

export function toWebhookDto(webhook: Webhook): WebhookDto {
  return {
    id: webhook.id,
    url: webhook.url,
    eventTypes: [...webhook.eventTypes],
    enabled: webhook.enabled,
    disabledReason: webhook.disabledReason,
    consecutiveFailures: webhook.consecutiveFailures,
    createdAt: webhook.createdAt.toISOString(),
    updatedAt: webhook.updatedAt.toISOString(),
  };
}

export function toDeliveryDto(delivery: WebhookDelivery): DeliveryDto {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.status === 'pending' ? (delivery.nextAttemptAt?.toISOString() ?? null) : null,
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    createdAt: delivery.createdAt.toISOString(),
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
  };
}
