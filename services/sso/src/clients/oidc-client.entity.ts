import type { Role } from '@okc/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { jsonText } from '@okc/persistence';

/**
 * - `third-party`: an application a tenant lets its users sign in to (authorization code + PKCE; consent);
 * - `integrator`: a machine client of a tenant (client credentials; role `integrator`).
 * The gateway, the one first-party client, is configured, not stored (see oidc/static-clients.ts).
 */
export const CLIENT_KINDS = ['third-party', 'integrator'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

@Entity({ name: 'oidc_clients' })
@Index('ix_oidc_clients_tenant_name', ['tenantId', 'name'])
export class OidcClient {
  /** OAuth `client_id`, unique per issuer. */
  @PrimaryColumn({ type: 'varchar', length: 128 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: ClientKind;

  @Column({ type: 'varchar', length: 256 })
  name!: string;

  /** `sha256$<base64url>` of the secret (256 random bits, so a fast hash is right); null for a public client. */
  @Column({ name: 'secret_hash', type: 'varchar', length: 255, nullable: true })
  secretHash!: string | null;

  @Column({ name: 'redirect_uris', type: 'text', transformer: jsonText<string[]>([]) })
  redirectUris!: string[];

  @Column({ name: 'post_logout_redirect_uris', type: 'text', transformer: jsonText<string[]>([]) })
  postLogoutRedirectUris!: string[];

  /** Roles its client-credentials tokens carry (integrators: `integrator`). */
  @Column({ type: 'text', transformer: jsonText<Role[]>([]) })
  roles!: Role[];

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
