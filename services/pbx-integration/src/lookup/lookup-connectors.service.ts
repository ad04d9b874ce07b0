import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isDuplicateKey, TenantRepositories } from '@okc/persistence';
import { InjectConfig, NotFoundError, parseBody } from '@okc/runtime';
import type { PbxIntegrationConfig } from '../config';
import { SecretBox } from '../connections/secret-box';
import { connectorNameTaken, plainHttpRefused, tooManyConnectors, typeCannotChange } from './lookup.errors';
import { LookupConnector, type LookupSettings } from './lookup-connector.entity';
import {
  createLookupConnectorSchema,
  type CreateLookupConnectorInput,
  MAX_CONNECTORS_PER_TENANT,
  type UpdateLookupConnectorInput,
} from './lookups.dto';
import { MysqlLookupRunner } from './mysql-lookup.runner';

/**
 * A tenant's lookup connectors. Every query is tenant-scoped (libs/persistence): another tenant's id reads
 * as not found. The secret part (http-json headers, mysql password) is sealed with the row's tenant and id as
 * context and opened only to run a lookup.
 */
/** How long a tenant's enabled connectors are kept in memory (changes on another instance show after it). */
const ENABLED_TTL_MS = 5000;

@Injectable()
export class LookupConnectorsService {
  private readonly box: SecretBox;
  private readonly enabledCache = new Map<
    string,
    { connectors: Promise<LookupConnector[]>; until: number }
  >();

  constructor(
    private readonly repos: TenantRepositories,
    @InjectConfig() private readonly config: PbxIntegrationConfig,
    private readonly mysql: MysqlLookupRunner,
  ) {
    this.box = new SecretBox(config.PBX_SECRET_KEY);
  }

  private repo(tenantId: string) {
    return this.repos.for(LookupConnector, tenantId);
  }

  list(tenantId: string): Promise<LookupConnector[]> {
    return this.repo(tenantId).find({ order: { priority: 'ASC', name: 'ASC' } });
  }

  /**
   * The connectors a call's lookup runs, in priority order. Read once per tenant per ENABLED_TTL_MS (every
   * inbound call asks): a change made here applies at once, one made on another instance within that time.
   */
  enabled(tenantId: string): Promise<LookupConnector[]> {
    const cached = this.enabledCache.get(tenantId);
    if (cached && cached.until > Date.now()) return cached.connectors;
    const connectors = this.repo(tenantId).find({
      where: { enabled: true },
      order: { priority: 'ASC', name: 'ASC' },
    });
    this.enabledCache.set(tenantId, { connectors, until: Date.now() + ENABLED_TTL_MS });
    // A failed read is not kept: the next call tries again.
    connectors.catch(() => this.enabledCache.delete(tenantId));
    return connectors;
  }

  async get(tenantId: string, id: string): Promise<LookupConnector> {
    const connector = await this.repo(tenantId).findOneBy({ id });
    if (!connector) throw new NotFoundError('Lookup connector');
    return connector;
  }

  async create(tenantId: string, input: CreateLookupConnectorInput): Promise<LookupConnector> {
    this.checkUrl(input);
    const repo = this.repo(tenantId);
    if ((await repo.count()) >= MAX_CONNECTORS_PER_TENANT) throw tooManyConnectors();
    const id = randomUUID();
    const now = new Date();
    const connector = repo.create({
      id,
      ...this.toColumns(tenantId, id, input),
      createdAt: now,
      updatedAt: now,
    });
    try {
      const saved = await repo.save(connector);
      this.enabledCache.delete(tenantId);
      return saved;
    } catch (error) {
      if (isDuplicateKey(error)) throw connectorNameTaken(input.name);
      throw error;
    }
  }

  /**
   * Applies a PATCH: the given fields over the stored ones (secrets included, so an omitted secret is kept),
   * validated as a whole like a new connector, so each bad field is named whatever combination made it bad.
   */
  async update(tenantId: string, id: string, patch: UpdateLookupConnectorInput): Promise<LookupConnector> {
    const connector = await this.get(tenantId, id);
    if (patch.type !== undefined && patch.type !== connector.type) throw typeCannotChange(connector.type);
    const input = parseBody(createLookupConnectorSchema, { ...this.configOf(connector), ...patch });
    this.checkUrl(input);
    const next: LookupConnector = {
      ...connector,
      ...this.toColumns(tenantId, id, input),
      updatedAt: new Date(),
    };
    try {
      const saved = await this.repo(tenantId).save(next);
      this.mysql.forget(poolKey(saved));
      this.enabledCache.delete(tenantId);
      return saved;
    } catch (error) {
      if (isDuplicateKey(error)) throw connectorNameTaken(input.name);
      throw error;
    }
  }

  async remove(tenantId: string, id: string): Promise<void> {
    if ((await this.repo(tenantId).delete({ id })) === 0) throw new NotFoundError('Lookup connector');
    this.mysql.forget(poolKey({ tenantId, id }));
    this.enabledCache.delete(tenantId);
  }

  /** The whole configuration with the secret opened: for running a lookup only, never for an answer. */
  configOf(connector: LookupConnector): CreateLookupConnectorInput {
    const secret = this.box.open(connector.secretSealed, sealContext(connector.tenantId, connector.id));
    const common = {
      name: connector.name,
      enabled: connector.enabled,
      priority: connector.priority,
      timeoutMs: connector.timeoutMs,
      cacheTtlS: connector.cacheTtlS,
      fieldMapping: { ...connector.fieldMapping },
    };
    const settings = connector.settings;
    switch (settings.type) {
      case 'http-json':
        return {
          type: 'http-json',
          ...common,
          urlTemplate: settings.urlTemplate,
          method: settings.method,
          bodyTemplate: settings.bodyTemplate,
          headers: JSON.parse(secret) as Record<string, string>,
        };
      case 'mysql':
        return {
          type: 'mysql',
          ...common,
          host: settings.host,
          port: settings.port,
          user: settings.user,
          password: secret,
          database: settings.database,
          query: settings.query,
        };
    }
  }

  /** The columns of a validated configuration: the settings in the clear, the secret sealed. */
  private toColumns(tenantId: string, id: string, input: CreateLookupConnectorInput) {
    let settings: LookupSettings;
    let secret: string;
    switch (input.type) {
      case 'http-json':
        settings = {
          type: 'http-json',
          urlTemplate: input.urlTemplate,
          method: input.method,
          bodyTemplate: input.bodyTemplate,
          headerNames: Object.keys(input.headers),
        };
        secret = JSON.stringify(input.headers);
        break;
      case 'mysql':
        settings = {
          type: 'mysql',
          host: input.host,
          port: input.port,
          user: input.user,
          hasPassword: input.password !== '',
          database: input.database,
          query: input.query,
        };
        secret = input.password;
        break;
    }
    return {
      name: input.name,
      type: input.type,
      enabled: input.enabled,
      priority: input.priority,
      timeoutMs: input.timeoutMs,
      cacheTtlS: input.cacheTtlS,
      fieldMapping: input.fieldMapping,
      settings,
      secretSealed: this.box.seal(secret, sealContext(tenantId, id)),
    };
  }

  /** Plain http:// only outside production (or when LOOKUP_ALLOW_HTTP says so): numbers are personal data. */
  private checkUrl(input: CreateLookupConnectorInput): void {
    if (
      input.type === 'http-json' &&
      /^http:/i.test(input.urlTemplate) &&
      this.config.NODE_ENV === 'production' &&
      !this.config.LOOKUP_ALLOW_HTTP
    ) {
      throw plainHttpRefused();
    }
  }
}

const sealContext = (tenantId: string, id: string) => `${tenantId}:lookup:${id}`;

/** Identifies a connector's MySQL pool. */
export const poolKey = (connector: Pick<LookupConnector, 'tenantId' | 'id'>) =>
  `${connector.tenantId}:${connector.id}`;
