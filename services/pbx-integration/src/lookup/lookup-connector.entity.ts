import { jsonText } from '@okc/persistence';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export const LOOKUP_TYPES = ['http-json', 'mysql'] as const;
export type LookupType = (typeof LOOKUP_TYPES)[number];

/** What an http-json connector calls (its headers are secret: sealed in `secretSealed`). */
export interface HttpJsonSettings {
  readonly type: 'http-json';
  /** With `{number}` where the caller's number goes (URL-encoded). */
  readonly urlTemplate: string;
  readonly method: 'GET' | 'POST';
  readonly bodyTemplate: string | null;
  /** The names of the sealed headers (their values are never returned). */
  readonly headerNames: string[];
}

/** Which external database a mysql connector reads (its password is sealed in `secretSealed`). */
export interface MysqlSettings {
  readonly type: 'mysql';
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Whether a (sealed) password is stored. */
  readonly hasPassword: boolean;
  readonly database: string;
  /** A single SELECT with `?` for the number. */
  readonly query: string;
}

export type LookupSettings = HttpJsonSettings | MysqlSettings;

/** A tenant's caller-lookup connector: where to look a caller up and which found values go on screen. */
@Entity({ name: 'lookup_connectors' })
export class LookupConnector {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId!: string;

  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 128 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  type!: LookupType;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  /** Lower runs first; on a key two connectors both found, the lower one's value wins. */
  @Column({ type: 'int' })
  priority!: number;

  @Column({ name: 'timeout_ms', type: 'int' })
  timeoutMs!: number;

  /** How long a found answer is cached (0: never); a "not found" is cached shorter (LOOKUP_MISS_TTL_S). */
  @Column({ name: 'cache_ttl_s', type: 'int' })
  cacheTtlS!: number;

  @Column({ type: 'text', transformer: jsonText<LookupSettings | null>(null) })
  settings!: LookupSettings;

  /** Screen-pop key → JSON path (http-json) or result column (mysql). */
  @Column({ name: 'field_mapping', type: 'text', transformer: jsonText<Record<string, string>>({}) })
  fieldMapping!: Record<string, string>;

  /** http-json: the headers as JSON; mysql: the password. Sealed (SecretBox); never returned by the API. */
  @Column({ name: 'secret_sealed', type: 'text' })
  secretSealed!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
