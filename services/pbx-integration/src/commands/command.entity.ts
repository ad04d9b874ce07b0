import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A command seen by pbx-integration: the idempotency record (commandId) and its outcome. */
@Entity({ name: 'pbx_commands' })
export class PbxCommandRow {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId!: string;

  @PrimaryColumn({ name: 'command_id', type: 'char', length: 36 })
  commandId!: string;

  @Column({ type: 'varchar', length: 32 })
  command!: string;

  /** `pending` (accepted by the API, not executed yet), `succeeded` or `failed`. */
  @Column({ type: 'varchar', length: 16 })
  status!: 'pending' | 'succeeded' | 'failed';

  @Column({ type: 'varchar', length: 32, nullable: true })
  code!: string | null;

  /** The PBX's own message, or why it failed. */
  @Column({ type: 'varchar', length: 1024, nullable: true })
  message!: string | null;

  @Column({ name: 'requested_by', type: 'varchar', length: 128, nullable: true })
  requestedBy!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'finished_at', type: 'datetime', precision: 3, nullable: true })
  finishedAt!: Date | null;
}
