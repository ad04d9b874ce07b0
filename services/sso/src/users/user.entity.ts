import type { Role } from '@okc/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { jsonText } from '@okc/persistence';

/**
 * A person who signs in. The id is the OIDC `sub`, unique per issuer, so it is the primary key on its own
 * (tokens name a user by it without a tenant); every other index starts with `tenant_id`.
 */
@Entity({ name: 'users' })
@Index('ux_users_tenant_login', ['tenantId', 'login'], { unique: true })
export class User {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId!: string;

  /** Lower-case, as typed before `@tenant`. */
  @Column({ type: 'varchar', length: 128 })
  login!: string;

  @Column({ type: 'varchar', length: 256 })
  name!: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  /** argon2id PHC string. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ type: 'text', transformer: jsonText<Role[]>([]) })
  roles!: Role[];

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** The extension an operator answers on (`101`). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  extension!: string | null;

  /** The PBX interface of that extension (`PJSIP/101`), as queue members are named. */
  @Column({ name: 'pbx_interface', type: 'varchar', length: 128, nullable: true })
  pbxInterface!: string | null;

  @Column({ type: 'text', transformer: jsonText<string[]>([]) })
  queues!: string[];

  /** Preferred UI language; null follows the tenant's. */
  @Column({ type: 'varchar', length: 2, nullable: true })
  locale!: 'ru' | 'en' | null;

  @Column({ name: 'password_changed_at', type: 'datetime', precision: 3 })
  passwordChangedAt!: Date;

  @Column({ name: 'last_login_at', type: 'datetime', precision: 3, nullable: true })
  lastLoginAt!: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
