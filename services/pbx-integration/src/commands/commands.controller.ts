import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
} from '@nestjs/swagger';
import { type AuthPrincipal, CurrentUser, TenantId } from '@okc/auth';
import { createEvent, TOPICS } from '@okc/contracts';
import { OutboxWriter } from '@okc/messaging';
import { forTenant } from '@okc/persistence';
import { ApiBodyOf, ErrorDto, IdParams, NotFoundError, strictObject, ZodValidationPipe } from '@okc/runtime';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { SERVICE_NAME } from '../config';
import { PbxCommandRow } from './command.entity';
import { PbxApi } from '../http/pbx-api.decorator';

export const clickToCallSchema = strictObject({
  commandId: z.guid().optional().describe('Your id for this call request: repeating it never dials twice.'),
  from: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9/@._-]{0,127}$/, 'a PBX interface such as PJSIP/101')
    .describe('The agent interface that rings first (PJSIP/101).'),
  to: z
    .string()
    .regex(/^\+?[0-9*#]{1,32}$/, 'digits, optionally with a leading +')
    .describe('The number to call once the agent answers.'),
  callerId: z.string().max(128).optional().describe('Caller ID shown to the agent while it rings.'),
  expiresInSeconds: z.number().int().min(5).max(600).default(60).describe('Not dialled after this.'),
});
type ClickToCallInput = z.infer<typeof clickToCallSchema>;

export class CommandStatusDto {
  @ApiProperty({ format: 'uuid' })
  commandId!: string;

  @ApiProperty({ example: 'originate' })
  command!: string;

  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] })
  status!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    enum: ['PBX_ERROR', 'TIMEOUT', 'EXPIRED', 'NOT_CONNECTED', 'INVALID'],
  })
  code!: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The PBX’s own message, or why it failed.',
  })
  message!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  finishedAt!: string | null;
}

const toDto = (row: PbxCommandRow): CommandStatusDto => ({
  commandId: row.commandId,
  command: row.command,
  status: row.status,
  code: row.code,
  message: row.message,
  createdAt: row.createdAt.toISOString(),
  finishedAt: row.finishedAt?.toISOString() ?? null,
});

/** Click-to-call for integrators: the same command path as OKC's own (pbx.commands.v1), asynchronous. */
@PbxApi('commands', ['integrator', 'supervisor', 'admin'])
@Controller('api/v1/pbx/commands')
export class CommandsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Click-to-call: ring the agent, then dial the number',
    description: 'Accepted at once; GET /api/v1/pbx/commands/{commandId} tells what the PBX answered.',
  })
  @ApiBodyOf(clickToCallSchema)
  @ApiAcceptedResponse({ type: CommandStatusDto })
  async clickToCall(
    @TenantId() tenantId: string,
    @CurrentUser() principal: AuthPrincipal,
    @Body(new ZodValidationPipe(clickToCallSchema)) body: ClickToCallInput,
  ): Promise<CommandStatusDto> {
    const commandId = body.commandId ?? randomUUID();
    return this.dataSource.transaction(async (m) => {
      const rows = forTenant(m.getRepository(PbxCommandRow), tenantId);
      const existing = await rows.findOne({ where: { commandId }, lock: { mode: 'pessimistic_write' } });
      if (existing) return toDto(existing);
      const row = await rows.save(
        rows.create({
          commandId,
          command: 'originate',
          status: 'pending',
          code: null,
          message: null,
          requestedBy: principal.subject.slice(0, 128),
          createdAt: new Date(),
          finishedAt: null,
        }),
      );
      await this.outbox.add(m, {
        topic: TOPICS.pbxCommands,
        key: tenantId,
        event: createEvent(TOPICS.pbxCommands, {
          type: 'originate',
          tenantId,
          source: SERVICE_NAME,
          data: {
            commandId,
            expiresAt: new Date(Date.now() + body.expiresInSeconds * 1000).toISOString(),
            requestedBy: principal.subject.slice(0, 128),
            from: body.from,
            to: body.to,
            callerId: body.callerId ?? null,
          },
        }),
      });
      return toDto(row);
    });
  }

  @Get(':commandId')
  @ApiOperation({ summary: 'What became of a command' })
  @ApiOkResponse({ type: CommandStatusDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  async status(
    @TenantId() tenantId: string,
    @IdParams(strictObject({ commandId: z.guid('a command id is a UUID') }))
    { commandId }: { commandId: string },
  ): Promise<CommandStatusDto> {
    const row = await forTenant(this.dataSource.getRepository(PbxCommandRow), tenantId).findOneBy({
      commandId,
    });
    if (!row) throw new NotFoundError('Command');
    return toDto(row);
  }
}
