import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { createEvent, TOPICS } from '@okc/contracts';
import { OutboxWriter } from '@okc/messaging';
import { forTenant } from '@okc/persistence';
import { ROOT_LOGGER, ValidationFailedError } from '@okc/runtime';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { SERVICE_NAME } from '../config';
import {
  DEFAULT_MODE_SETTINGS,
  effectiveMode,
  type ModeDefinition,
  type ModeSettings,
  nextScheduledChange,
  overrideActive,
} from './mode-schedule';
import { ModeSettingsRow, ModeStateRow, PbxAuditRow, type StoredOverride } from './mode.entities';
import type { CurrentModeDto, ModesDto, ModeSettingsInput, OverrideInput } from './modes.dto';

/** What happened when a mode was last pushed to one PBX. */
export interface ModeApplyResult {
  connectionId: string;
  mode: string;
  applied: boolean;
  /** `C0` → what `DBGet DAYNIGHT/C0` answered after the change. */
  readBack: Record<string, string | null>;
  error: string | null;
  at: string;
}

/** What a mode change is pushed to: the tenant's PBXes (DBPut/Setvar through AMI). */
export interface ModeApplier {
  apply(tenantId: string, mode: ModeDefinition): Promise<void>;
  lastResults(tenantId: string): ModeApplyResult[];
}
export const MODE_APPLIER = Symbol('MODE_APPLIER');

/** `system` for the schedule; otherwise `login@tenant` of the person or client who acted. */
export type Actor = string;

/**
 * Operating modes per tenant. The mode in force is recomputed from the settings, the manual override and
 * the clock (`reconcile`: on every change and every tick of ModeTicker); a change is committed with its
 * `mode.changed` event (outbox) and an audit row in one transaction, then pushed to the PBX.
 */
@Injectable()
export class ModesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @Optional() @Inject(MODE_APPLIER) private readonly applier?: ModeApplier,
  ) {}

  async settings(tenantId: string, manager: EntityManager = this.dataSource.manager): Promise<ModeSettings> {
    const row = await forTenant(manager.getRepository(ModeSettingsRow), tenantId).findOneBy({});
    return row?.settings ?? DEFAULT_MODE_SETTINGS;
  }

  /**
   * The mode in force and the settings. A tenant that never configured modes nor switched by hand has no
   * state: it shows the default, and nothing is written or emitted for it (a GET changes nothing).
   */
  async view(tenantId: string, now = new Date()): Promise<ModesDto> {
    const configured = await forTenant(this.dataSource.getRepository(ModeSettingsRow), tenantId).count();
    let state = await forTenant(this.dataSource.getRepository(ModeStateRow), tenantId).findOneBy({});
    if (configured > 0 || state) {
      // Do what the ticker would do now rather than show a mode that is due to change.
      if (await this.reconcile(tenantId, now)) {
        state = await forTenant(this.dataSource.getRepository(ModeStateRow), tenantId).findOneBy({});
      }
    }
    const settings = await this.settings(tenantId);
    const current: CurrentModeDto = {
      mode: state?.mode ?? effectiveMode(settings, null, now).mode,
      source: state?.source ?? 'schedule',
      since: (state?.since ?? now).toISOString(),
      override: state?.override && overrideActive(state.override, now) ? state.override : null,
      nextChangeAt: nextScheduledChange(settings, now)?.toISOString() ?? null,
      pbx: this.applier?.lastResults(tenantId) ?? [],
    };
    return { settings, current };
  }

  async putSettings(
    tenantId: string,
    actor: Actor,
    input: ModeSettingsInput,
    now = new Date(),
  ): Promise<ModesDto> {
    await this.dataSource.transaction(async (m) => {
      const repo = forTenant(m.getRepository(ModeSettingsRow), tenantId);
      const before = await repo.findOneBy({});
      const row = repo.create({ settings: input, updatedBy: actor, updatedAt: now });
      await repo.save(row);
      await this.audit(
        m,
        tenantId,
        actor,
        'settings.updated',
        { before: before?.settings ?? null, after: input },
        now,
      );
      // An override of a mode that no longer exists ends now.
      const state = await forTenant(m.getRepository(ModeStateRow), tenantId).findOneBy({});
      if (state?.override && !input.modes.some((mode) => mode.name === state.override!.mode)) {
        await forTenant(m.getRepository(ModeStateRow), tenantId).update({}, { override: null });
      }
    });
    return this.view(tenantId, now);
  }

  async setOverride(
    tenantId: string,
    actor: Actor,
    input: OverrideInput,
    now = new Date(),
  ): Promise<ModesDto> {
    const settings = await this.settings(tenantId);
    if (!settings.modes.some((mode) => mode.name === input.mode)) {
      throw new ValidationFailedError('request body', [
        { field: 'mode', message: `no mode named "${input.mode}"` },
      ]);
    }
    if (input.until && Date.parse(input.until) <= now.getTime()) {
      throw new ValidationFailedError('request body', [{ field: 'until', message: 'must be in the future' }]);
    }
    const until =
      input.until === undefined ? (nextScheduledChange(settings, now)?.toISOString() ?? null) : input.until;
    const override: StoredOverride = { mode: input.mode, until, setBy: actor, setAt: now.toISOString() };
    await this.dataSource.transaction(async (m) => {
      await this.saveOverride(m, tenantId, override, now);
      await this.audit(m, tenantId, actor, 'override.set', { mode: input.mode, until }, now);
    });
    await this.reconcile(tenantId, now, actor);
    return this.view(tenantId, now);
  }

  async clearOverride(tenantId: string, actor: Actor, now = new Date()): Promise<ModesDto> {
    await this.dataSource.transaction(async (m) => {
      const repo = forTenant(m.getRepository(ModeStateRow), tenantId);
      const state = await repo.findOneBy({});
      if (state?.override) {
        await repo.update({}, { override: null });
        await this.audit(m, tenantId, actor, 'override.cleared', { mode: state.override.mode }, now);
      }
    });
    await this.reconcile(tenantId, now, actor);
    return this.view(tenantId, now);
  }

  async auditLog(tenantId: string, limit = 50): Promise<PbxAuditRow[]> {
    return forTenant(this.dataSource.getRepository(PbxAuditRow), tenantId).find({
      order: { at: 'DESC' },
      take: limit,
    });
  }

  /** Pushes the tenant's current mode to the PBXes again (a PBX that reconnected may have lost or changed it). */
  async reapply(tenantId: string): Promise<void> {
    const state = await forTenant(this.dataSource.getRepository(ModeStateRow), tenantId).findOneBy({});
    if (!state) return;
    const mode = (await this.settings(tenantId)).modes.find((m) => m.name === state.mode);
    if (mode) await this.applier?.apply(tenantId, mode);
  }

  /** Every tenant that has settings or a state: the ticker's round. */
  async tenants(): Promise<string[]> {
    const rows = await this.dataSource.query<{ tenant_id: string }[]>(
      'SELECT tenant_id FROM pbx_mode_settings UNION SELECT tenant_id FROM pbx_mode_state',
    );
    return rows.map((r) => r.tenant_id);
  }

  /**
   * Brings the stored mode in line with what the settings, override and clock say; when it changes, commits
   * the state, `mode.changed` and an audit row together, then pushes the mode to the PBX. Safe to run
   * concurrently (the state row is locked) and repeatedly (nothing changes, nothing is emitted).
   */
  async reconcile(tenantId: string, now = new Date(), actor: Actor = 'system'): Promise<boolean> {
    const changed = await this.dataSource.transaction(async (m) => {
      const settings = await this.settings(tenantId, m);
      const repo = forTenant(m.getRepository(ModeStateRow), tenantId);
      const state = await repo.findOne({ where: {}, lock: { mode: 'pessimistic_write' } });
      const expired = state?.override && !overrideActive(state.override, now) ? state.override : null;
      const target = effectiveMode(settings, state?.override ?? null, now);
      if (expired) await repo.update({}, { override: null });
      if (state && state.mode === target.mode) return null;
      const source = expired && target.source !== 'manual' ? 'override-expired' : target.source;
      const changedBy = target.source === 'manual' ? actor : 'system';
      const next = repo.create({
        mode: target.mode,
        source,
        since: now,
        override: expired ? null : (state?.override ?? null),
        changedBy,
      });
      await repo.save(next);
      const until = target.source === 'manual' ? (state?.override?.until ?? null) : null;
      await this.outbox.add(m, {
        topic: TOPICS.pbxModes,
        key: tenantId,
        event: createEvent(TOPICS.pbxModes, {
          type: 'mode.changed',
          tenantId,
          source: SERVICE_NAME,
          data: {
            connectionId: null,
            mode: target.mode,
            previousMode: state?.mode ?? null,
            source,
            changedBy: changedBy === 'system' ? null : changedBy.slice(0, 128),
            until,
          },
        }),
      });
      await this.audit(
        m,
        tenantId,
        changedBy,
        'mode.switched',
        { from: state?.mode ?? null, to: target.mode, source },
        now,
      );
      return settings.modes.find((mode) => mode.name === target.mode) ?? null;
    });
    if (!changed) return false;
    this.logger.info({ tenant: tenantId, mode: changed.name }, 'operating mode changed');
    await this.applier?.apply(tenantId, changed).catch((err: unknown) => {
      this.logger.warn(
        { err, tenant: tenantId, mode: changed.name },
        'operating mode not applied to the PBX',
      );
    });
    return true;
  }

  private async saveOverride(
    m: EntityManager,
    tenantId: string,
    override: StoredOverride,
    now: Date,
  ): Promise<void> {
    const repo = forTenant(m.getRepository(ModeStateRow), tenantId);
    const state = await repo.findOne({ where: {}, lock: { mode: 'pessimistic_write' } });
    if (state) {
      await repo.update({}, { override });
      return;
    }
    // No state yet: start from the schedule; reconcile then switches and emits.
    const settings = await this.settings(tenantId, m);
    await repo.save(
      repo.create({
        mode: effectiveMode(settings, null, now).mode,
        source: 'schedule',
        since: now,
        override,
        changedBy: 'system',
      }),
    );
  }

  private async audit(
    m: EntityManager,
    tenantId: string,
    actor: Actor,
    action: string,
    details: Record<string, unknown>,
    at: Date,
  ): Promise<void> {
    const repo = forTenant(m.getRepository(PbxAuditRow), tenantId);
    await repo.save(repo.create({ id: randomUUID(), at, actor, action, details }));
  }
}
