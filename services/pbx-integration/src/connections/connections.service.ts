import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { isDuplicateKey, TenantRepositories } from '@okc/persistence';
import { ConflictError, InjectConfig, NotFoundError } from '@okc/runtime';
import type { PbxIntegrationConfig } from '../config';
import type { CreateConnectionInput, QueueLogTableInput, UpdateConnectionInput } from './connections.dto';
import { PbxConnection } from './pbx-connection.entity';
import { SecretBox } from './secret-box';

const nameTaken = (name: string) =>
  new ConflictError('CONFLICT', `A connection named "${name}" already exists in this tenant`, {
    field: 'name',
  });

/** A connection's AMI credentials, opened for the connection manager only. */
export interface ConnectionCredentials {
  readonly username: string;
  readonly secret: string;
}

/**
 * A tenant's PBX connections. Every query is tenant-scoped (libs/persistence); another tenant's id reads as
 * not found. The secret is sealed with the row's tenant and id as context, so it cannot be moved.
 */
@Injectable()
export class ConnectionsService {
  private readonly box: SecretBox;

  constructor(
    private readonly repos: TenantRepositories,
    @InjectConfig() config: PbxIntegrationConfig,
  ) {
    this.box = new SecretBox(config.PBX_SECRET_KEY);
  }

  private repo(tenantId: string) {
    return this.repos.for(PbxConnection, tenantId);
  }

  list(tenantId: string): Promise<PbxConnection[]> {
    return this.repo(tenantId).find({ order: { name: 'ASC' } });
  }

  async get(tenantId: string, id: string): Promise<PbxConnection> {
    const connection = await this.repo(tenantId).findOneBy({ id });
    if (!connection) throw new NotFoundError('Connection');
    return connection;
  }

  async create(tenantId: string, input: CreateConnectionInput): Promise<PbxConnection> {
    const repo = this.repo(tenantId);
    const id = randomUUID();
    const now = new Date();
    const connection = repo.create({
      id,
      name: input.name,
      type: input.type,
      host: input.host,
      port: input.port,
      username: input.username,
      secretSealed: this.box.seal(input.secret, `${tenantId}:${id}`),
      directionRules: input.directionRules,
      queueLogPath: input.queueLogPath,
      ...this.queueLogTable(tenantId, id, input.queueLogTable, null),
      enabled: input.enabled,
      createdAt: now,
      updatedAt: now,
    });
    try {
      return await repo.save(connection);
    } catch (error) {
      if (isDuplicateKey(error)) throw nameTaken(input.name);
      throw error;
    }
  }

  async update(tenantId: string, id: string, patch: UpdateConnectionInput): Promise<PbxConnection> {
    const connection = await this.get(tenantId, id);
    const { secret, queueLogTable, ...rest } = patch;
    const next: PbxConnection = {
      ...connection,
      ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
      ...(secret !== undefined ? { secretSealed: this.box.seal(secret, `${tenantId}:${id}`) } : {}),
      ...(queueLogTable !== undefined
        ? this.queueLogTable(tenantId, id, queueLogTable, connection.queueLogSecretSealed)
        : {}),
      updatedAt: new Date(),
    };
    try {
      return await this.repo(tenantId).save(next);
    } catch (error) {
      if (isDuplicateKey(error) && patch.name) throw nameTaken(patch.name);
      throw error;
    }
  }

  async remove(tenantId: string, id: string): Promise<void> {
    if ((await this.repo(tenantId).delete({ id })) === 0) throw new NotFoundError('Connection');
  }

  /** The stored form of queue_log table settings: the password sealed apart (kept when not given again). */
  private queueLogTable(
    tenantId: string,
    id: string,
    input: QueueLogTableInput | null,
    sealedBefore: string | null,
  ): Pick<PbxConnection, 'queueLogTable' | 'queueLogSecretSealed'> {
    if (!input) return { queueLogTable: null, queueLogSecretSealed: null };
    const { password, ...settings } = input;
    return {
      queueLogTable: settings,
      queueLogSecretSealed:
        password === undefined ? sealedBefore : this.box.seal(password, `${tenantId}:${id}:queue-log`),
    };
  }

  /** The password of the queue_log database, or '' when none is stored (the link's use only). */
  queueLogPassword(connection: PbxConnection): string {
    const sealed = connection.queueLogSecretSealed;
    return sealed ? this.box.open(sealed, `${connection.tenantId}:${connection.id}:queue-log`) : '';
  }

  /** The credentials to log in with (the connection manager's use only; never in an API answer). */
  credentials(connection: PbxConnection): ConnectionCredentials {
    return {
      username: connection.username,
      secret: this.box.open(connection.secretSealed, `${connection.tenantId}:${connection.id}`),
    };
  }
}
