import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { createEvent, type Envelope, PBX_COMMANDS, TOPICS } from '@okc/contracts';
import { EventConsumer, OutboxWriter } from '@okc/messaging';
import { forTenant, isDuplicateKey } from '@okc/persistence';
import { InjectConfig, ROOT_LOGGER } from '@okc/runtime';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { type PbxIntegrationConfig, SERVICE_NAME } from '../config';
import { LinkManager } from '../links/link-manager';
import { ModesService } from '../modes/modes.service';
import { amiActionOf, InvalidCommand } from './ami-command';
import { PbxCommandRow } from './command.entity';

type CommandName = (typeof PBX_COMMANDS)[number];
type Outcome =
  | { ok: true; message: string | null }
  | { ok: false; code: 'PBX_ERROR' | 'TIMEOUT' | 'EXPIRED' | 'NOT_CONNECTED' | 'INVALID'; reason: string };

/**
 * Executes `pbx.commands.v1` on the tenant's PBX and answers on `pbx.command-results.v1` with the PBX's own
 * message. Each commandId runs at most once (pbx_commands), a command past its `expiresAt` fails EXPIRED
 * instead of acting late, and the outcome event is written in the same transaction as the record.
 */
@Injectable()
export class CommandsService implements OnModuleInit {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly outbox: OutboxWriter,
    private readonly links: LinkManager,
    private readonly modes: ModesService,
    @InjectConfig() private readonly config: PbxIntegrationConfig,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    for (const type of PBX_COMMANDS) {
      this.consumer.on(TOPICS.pbxCommands, type, async (event, { manager }) => {
        if (!manager) throw new Error('commands need the inbox transaction');
        await this.handle(manager, event);
      });
    }
  }

  private async handle(m: EntityManager, event: Envelope): Promise<void> {
    const command = event.type as CommandName;
    const data = event.data as { commandId: string; expiresAt: string; requestedBy: string | null };
    const rows = forTenant(m.getRepository(PbxCommandRow), event.tenantId);
    const existing = await rows.findOneBy({ commandId: data.commandId });
    if (existing && existing.status !== 'pending') return; // already executed: at most once
    if (!existing) {
      try {
        await rows.save(
          rows.create({
            commandId: data.commandId,
            command,
            status: 'pending',
            code: null,
            message: null,
            requestedBy: data.requestedBy,
            createdAt: new Date(),
            finishedAt: null,
          }),
        );
      } catch (err) {
        if (isDuplicateKey(err)) return; // a concurrent copy took it
        throw err;
      }
    }
    const outcome = await this.execute(event.tenantId, command, event.data as Record<string, unknown>, data);
    await rows.update(
      { commandId: data.commandId },
      {
        status: outcome.ok ? 'succeeded' : 'failed',
        code: outcome.ok ? null : outcome.code,
        message: (outcome.ok ? outcome.message : outcome.reason)?.slice(0, 1024) ?? null,
        finishedAt: new Date(),
      },
    );
    await this.outbox.add(m, {
      topic: TOPICS.pbxCommandResults,
      key: data.commandId,
      event: outcome.ok
        ? createEvent(TOPICS.pbxCommandResults, {
            type: 'command.succeeded',
            tenantId: event.tenantId,
            source: SERVICE_NAME,
            data: { commandId: data.commandId, command, pbxMessage: outcome.message?.slice(0, 1024) ?? null },
          })
        : createEvent(TOPICS.pbxCommandResults, {
            type: 'command.failed',
            tenantId: event.tenantId,
            source: SERVICE_NAME,
            data: {
              commandId: data.commandId,
              command,
              code: outcome.code,
              reason: outcome.reason.slice(0, 1024),
            },
          }),
    });
    const log = { tenant: event.tenantId, command, commandId: data.commandId, ...outcome };
    if (outcome.ok) this.logger.info(log, 'PBX command executed');
    else this.logger.warn(log, 'PBX command failed');
  }

  private async execute(
    tenantId: string,
    command: CommandName,
    payload: Record<string, unknown>,
    data: { expiresAt: string; requestedBy: string | null },
  ): Promise<Outcome> {
    if (Date.parse(data.expiresAt) <= Date.now()) {
      return { ok: false, code: 'EXPIRED', reason: `expired at ${data.expiresAt} before it could run` };
    }
    if (command === 'mode-set') {
      const { mode, until } = payload as { mode: string; until: string | null };
      try {
        const view = await this.modes.setOverride(tenantId, data.requestedBy ?? 'system', { mode, until });
        return { ok: true, message: `mode ${view.current.mode}` };
      } catch (err) {
        return { ok: false, code: 'INVALID', reason: err instanceof Error ? err.message : String(err) };
      }
    }
    const [link] = this.links.linksOf(tenantId);
    if (!link) return { ok: false, code: 'NOT_CONNECTED', reason: 'no PBX of this tenant is connected' };
    let action;
    try {
      action = amiActionOf(command, payload, {
        channels: link.channels,
        originateContext: this.config.PBX_ORIGINATE_CONTEXT,
        holdContext: this.config.PBX_HOLD_CONTEXT,
        transferContext: this.config.PBX_TRANSFER_CONTEXT,
      });
    } catch (err) {
      if (err instanceof InvalidCommand) return { ok: false, code: 'INVALID', reason: err.message };
      throw err;
    }
    const left = Date.parse(data.expiresAt) - Date.now();
    try {
      const response = await link.send(
        action,
        Math.max(1000, Math.min(this.config.PBX_COMMAND_TIMEOUT_MS, left)),
      );
      return { ok: true, message: response.headers.message ?? null };
    } catch (err) {
      const e = err as {
        code?: string;
        message?: string;
        response?: { headers: { message?: string } } | null;
      };
      if (e.code === 'ACTION_TIMEOUT')
        return { ok: false, code: 'TIMEOUT', reason: 'the PBX did not answer in time' };
      if (e.code === 'ACTION_FAILED') {
        return { ok: false, code: 'PBX_ERROR', reason: e.response?.headers.message ?? e.message ?? 'error' };
      }
      return { ok: false, code: 'NOT_CONNECTED', reason: e.message ?? 'the PBX connection was lost' };
    }
  }
}
