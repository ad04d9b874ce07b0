import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * `next`: published in JWKS, not yet signing (so every verifier has it before the first token);
 * `current`: signs; `retired`: published until `expires_at` (the last token it signed has expired), then deleted.
 */
export const KEY_STATES = ['next', 'current', 'retired'] as const;
export type KeyState = (typeof KEY_STATES)[number];

@Entity({ name: 'signing_keys' })
@Index('ix_signing_keys_state', ['state'])
export class SigningKey {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 16 })
  alg!: string;

  @Column({ type: 'varchar', length: 8 })
  state!: KeyState;

  /** The private JWK, AES-256-GCM encrypted with a key derived from SSO_KEYS_SECRET. */
  @Column({ name: 'private_jwk', type: 'text' })
  privateJwk!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'activated_at', type: 'datetime', precision: 3, nullable: true })
  activatedAt!: Date | null;

  @Column({ name: 'retired_at', type: 'datetime', precision: 3, nullable: true })
  retiredAt!: Date | null;

  /** When a retired key leaves JWKS. */
  @Column({ name: 'expires_at', type: 'datetime', precision: 3, nullable: true })
  expiresAt!: Date | null;
}
