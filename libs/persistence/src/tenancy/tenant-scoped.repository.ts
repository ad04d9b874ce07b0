import type {
  DeepPartial,
  EntityManager,
  FindManyOptions,
  FindOneOptions,
  FindOptionsWhere,
  ObjectLiteral,
  Repository,
  SelectQueryBuilder,
} from 'typeorm';

/** Every tenant-owned entity has a `tenantId` column (`tenant_id` in SQL, first in every index). */
export interface TenantOwned extends ObjectLiteral {
  tenantId: string;
}

export class TenantScopeError extends Error {
  readonly code = 'TENANT_SCOPE_REQUIRED';
}

function requireTenant(tenantId: string): string {
  if (typeof tenantId !== 'string' || tenantId.length === 0) {
    throw new TenantScopeError('a tenant id is required for every tenant-scoped query');
  }
  return tenantId;
}

/**
 * A repository bound to one tenant. Every read, write and query builder it hands out carries
 * `tenant_id = :tenant`; a `tenantId` in the caller's `where` is overwritten, never trusted. This is the
 * only way services reach tenant-owned tables. Cross-tenant work goes through `acrossTenants()`, which is
 * explicit and easy to grep for.
 */
export class TenantScopedRepository<T extends TenantOwned> {
  readonly tenantId: string;

  constructor(
    private readonly repository: Repository<T>,
    tenantId: string,
  ) {
    this.tenantId = requireTenant(tenantId);
  }

  /** The same scope on another EntityManager, e.g. inside a transaction or an inbox handler. */
  withManager(manager: EntityManager): TenantScopedRepository<T> {
    return new TenantScopedRepository(manager.getRepository<T>(this.repository.target), this.tenantId);
  }

  private scope(
    where?: FindOptionsWhere<T> | FindOptionsWhere<T>[],
  ): FindOptionsWhere<T> | FindOptionsWhere<T>[] {
    const tenant = { tenantId: this.tenantId } as FindOptionsWhere<T>;
    if (Array.isArray(where)) return where.length ? where.map((w) => ({ ...w, ...tenant })) : [tenant];
    return { ...(where ?? {}), ...tenant };
  }

  find(options: FindManyOptions<T> = {}): Promise<T[]> {
    return this.repository.find({ ...options, where: this.scope(options.where) });
  }

  findBy(where: FindOptionsWhere<T> | FindOptionsWhere<T>[] = {}): Promise<T[]> {
    return this.repository.findBy(this.scope(where));
  }

  findOne(options: FindOneOptions<T>): Promise<T | null> {
    return this.repository.findOne({ ...options, where: this.scope(options.where) });
  }

  findOneBy(where: FindOptionsWhere<T> | FindOptionsWhere<T>[]): Promise<T | null> {
    return this.repository.findOneBy(this.scope(where));
  }

  count(where: FindOptionsWhere<T> | FindOptionsWhere<T>[] = {}): Promise<number> {
    return this.repository.countBy(this.scope(where));
  }

  /** Builds the entity with this tenant's id; a `tenantId` in `values` is replaced. */
  create(values: DeepPartial<T>): T {
    return this.repository.create({ ...values, tenantId: this.tenantId } as DeepPartial<T>);
  }

  async save(entity: T): Promise<T> {
    if (entity.tenantId !== this.tenantId) {
      throw new TenantScopeError(
        `refusing to save a row of tenant "${entity.tenantId}" through tenant "${this.tenantId}"`,
      );
    }
    return this.repository.save(entity);
  }

  async update(where: FindOptionsWhere<T>, patch: DeepPartial<T>): Promise<number> {
    const { tenantId: _ignored, ...rest } = patch as Record<string, unknown>;
    const result = await this.repository.update(this.scope(where), rest as never);
    return result.affected ?? 0;
  }

  async delete(where: FindOptionsWhere<T>): Promise<number> {
    const result = await this.repository.delete(this.scope(where));
    return result.affected ?? 0;
  }

  /** A query builder that already filters on this tenant. Add conditions with `andWhere`, never `where`. */
  createQueryBuilder(alias: string): SelectQueryBuilder<T> {
    return this.repository
      .createQueryBuilder(alias)
      .where(`${alias}.tenantId = :__tenantId`, { __tenantId: this.tenantId });
  }
}

/** Binds a TypeORM repository to one tenant. */
export function forTenant<T extends TenantOwned>(
  repository: Repository<T>,
  tenantId: string,
): TenantScopedRepository<T> {
  return new TenantScopedRepository(repository, tenantId);
}

/**
 * The escape hatch: the raw repository, for work that must see every tenant (a relay, a retention job,
 * a platform-admin report). The reason is required so that a reviewer grepping for `acrossTenants(` sees why.
 */
export function acrossTenants<T extends ObjectLiteral>(
  repository: Repository<T>,
  reason: string,
): Repository<T> {
  if (!reason || reason.trim().length < 8)
    throw new TenantScopeError('acrossTenants() needs a reason a reviewer can read');
  return repository;
}
