import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Everything oidc-provider persists (sessions, interactions, grants, codes, refresh tokens, …): one table,
 * keyed by model name and id, so a signed-in user stays signed in across an sso restart. Platform data:
 * the provider, not a tenant, owns it.
 */
@Entity({ name: 'oidc_models' })
@Index('ix_oidc_models_grant', ['grantId'])
@Index('ix_oidc_models_uid', ['uid'])
@Index('ix_oidc_models_expires', ['expiresAt'])
export class OidcModel {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  model!: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  id!: string;

  @Column({ type: 'mediumtext' })
  payload!: string;

  @Column({ name: 'grant_id', type: 'varchar', length: 255, nullable: true })
  grantId!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  uid!: string | null;

  @Column({ name: 'user_code', type: 'varchar', length: 255, nullable: true })
  userCode!: string | null;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3, nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'consumed_at', type: 'datetime', precision: 3, nullable: true })
  consumedAt!: Date | null;
}
