import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonText } from '@okc/persistence';

export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A customer enterprise. Its id is the short slug users type after `@` (`op1@demo`). */
@Entity({ name: 'tenants' })
export class Tenant {
  /** The slug; also the `tenant` claim and the `tenant_id` of every row it owns, in every service. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 256 })
  name!: string;

  @Column({ type: 'varchar', length: 2 })
  locale!: Locale;

  /** An inactive tenant's users cannot sign in and its clients get no tokens. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** Browser origins its own web apps call the API from (the gateway's CORS allow-list); none by default. */
  @Column({ name: 'cors_origins', type: 'text', nullable: true, transformer: jsonText<string[]>([]) })
  corsOrigins!: string[];

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
