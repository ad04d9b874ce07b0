import { jsonText } from '@okc/persistence';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ModeSettings, ModeSource } from './mode-schedule';

/** A tenant's operating-mode settings: modes, weekly schedule, holidays, time zone. */
@Entity({ name: 'pbx_mode_settings' })
export class ModeSettingsRow {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId!: string;

  @Column({ type: 'text', transformer: jsonText<ModeSettings | null>(null) })
  settings!: ModeSettings;

  @Column({ name: 'updated_by', type: 'varchar', length: 256, nullable: true })
  updatedBy!: string | null;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}

/** The manual switch in force (`until` null: until it is removed). */
export interface StoredOverride {
  mode: string;
  until: string | null;
  setBy: string | null;
  setAt: string;
}

/** The mode a tenant is in now, and since when; the manual override if one is set. */
@Entity({ name: 'pbx_mode_state' })
export class ModeStateRow {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 64 })
  mode!: string;

  @Column({ type: 'varchar', length: 16 })
  source!: ModeSource | 'override-expired';

  @Column({ type: 'datetime', precision: 3 })
  since!: Date;

  @Column({
    name: 'override_json',
    type: 'text',
    nullable: true,
    transformer: jsonText<StoredOverride | null>(null),
  })
  override!: StoredOverride | null;

  @Column({ name: 'changed_by', type: 'varchar', length: 256, nullable: true })
  changedBy!: string | null;
}

/** Who switched or reconfigured what, when (the modes audit). */
@Entity({ name: 'pbx_audit' })
export class PbxAuditRow {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId!: string;

  @Column({ type: 'datetime', precision: 3 })
  at!: Date;

  /** `op1@demo`, `client:int_…@demo`, or `system` for the schedule. */
  @Column({ type: 'varchar', length: 256 })
  actor!: string;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'text', transformer: jsonText<Record<string, unknown>>({}) })
  details!: Record<string, unknown>;
}
