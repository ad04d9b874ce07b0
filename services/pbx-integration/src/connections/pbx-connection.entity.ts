import { jsonText } from '@okc/persistence';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export const CONNECTION_TYPES = ['asterisk-ami'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

/**
 * How calls of a connection are classified (ARCHITECTURE.md §4, "Canonical call"): a call entering from a
 * trunk channel or an inbound context is inbound, one dialled out to a trunk is outbound, the rest internal.
 */
export interface DirectionRules {
  /** Globs of trunk channel names: `PJSIP/trunk-*`, `SIP/provider-*`. */
  trunkChannelPatterns: string[];
  /** Dialplan contexts calls from outside enter at: `from-trunk`, `from-pstn`. */
  inboundContexts: string[];
  /** Contexts that dial out to a trunk: `outbound-allroutes`. */
  outboundContexts: string[];
}

/**
 * The PBX's queue_log as a table of its database (Asterisk realtime `queue_log`), read with a read-only user;
 * the password is sealed apart (`queueLogSecretSealed`).
 */
export interface QueueLogTableSettings {
  host: string;
  port: number;
  user: string;
  database: string;
  table: string;
  /** How the time column is written: DATETIME or text `YYYY-MM-DD HH:MM:SS[.ffffff]`, or UNIX seconds. */
  timeFormat: 'datetime' | 'unix';
  /** The zone Asterisk wrote DATETIME / text times in (IANA). */
  timeZone: string;
  /** An ever-increasing id column, ordering rows of one time (`id` in Asterisk's schema), or null. */
  idColumn: string | null;
}

/** A tenant's PBX: where pbx-integration connects, as whom, and how it classifies calls. */
@Entity({ name: 'pbx_connections' })
export class PbxConnection {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 128 })
  name!: string;

  @Column({ type: 'varchar', length: 32 })
  type!: ConnectionType;

  @Column({ type: 'varchar', length: 253 })
  host!: string;

  @Column({ type: 'int' })
  port!: number;

  @Column({ type: 'varchar', length: 128 })
  username!: string;

  /** The AMI secret, sealed (SecretBox); never returned by the API. */
  @Column({ name: 'secret_sealed', type: 'text' })
  secretSealed!: string;

  @Column({
    name: 'direction_rules',
    type: 'text',
    transformer: jsonText<DirectionRules>({
      trunkChannelPatterns: [],
      inboundContexts: [],
      outboundContexts: [],
    }),
  })
  directionRules!: DirectionRules;

  /**
   * The PBX's queue_log as this service can read it (a shared or shipped file), or null. After a disconnect the
   * queue facts of the gap are rebuilt from it.
   */
  @Column({ name: 'queue_log_path', type: 'varchar', length: 1024, nullable: true })
  queueLogPath!: string | null;

  /** Or the queue_log as a database table (null: none). */
  @Column({
    name: 'queue_log_table',
    type: 'text',
    nullable: true,
    transformer: jsonText<QueueLogTableSettings | null>(null),
  })
  queueLogTable!: QueueLogTableSettings | null;

  /** The queue_log database password, sealed (SecretBox); never returned by the API. */
  @Column({ name: 'queue_log_secret_sealed', type: 'text', nullable: true })
  queueLogSecretSealed!: string | null;

  /** A disabled connection is kept but not connected. */
  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
