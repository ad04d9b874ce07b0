import { Inject, Injectable } from '@nestjs/common';
import { TenantRepositories } from '@okc/persistence';
import { ROOT_LOGGER } from '@okc/runtime';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { type ActorType, AuditEntry, type AuditType } from './audit-entry.entity';

export interface AuditActor {
  readonly type: ActorType;
  readonly id?: string | null;
  readonly label?: string | null;
}

/** Where a request came from, for the log. */
export interface RequestOrigin {
  readonly ip?: string | null;
  readonly userAgent?: string | null;
  readonly requestId?: string | null;
}

export interface AuditRecord {
  readonly tenantId: string;
  readonly type: AuditType;
  readonly actor: AuditActor;
  readonly subject?: { readonly type: string; readonly id: string } | null;
  readonly clientId?: string | null;
  readonly origin?: RequestOrigin;
  readonly reason?: string | null;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface AuditQuery {
  readonly userId?: string;
  readonly type?: AuditType;
  readonly from?: Date;
  readonly to?: Date;
  /** Entries older than this id (the `nextCursor` of the previous page). */
  readonly before?: string;
  readonly limit: number;
}

const clip = (value: string | null | undefined, max: number): string | null =>
  value == null ? null : value.slice(0, max);

/**
 * The accounting half of AAA: append-only rows (the table's triggers refuse UPDATE and DELETE). Admin
 * changes are recorded in the transaction that makes them; sign-in and token events on their own.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenants: TenantRepositories,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async record(entry: AuditRecord, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.insert(AuditEntry, {
      tenantId: clip(entry.tenantId, 64) ?? '-',
      occurredAt: new Date(),
      type: entry.type,
      actorType: entry.actor.type,
      actorId: clip(entry.actor.id, 128),
      actorLabel: clip(entry.actor.label, 256),
      subjectType: clip(entry.subject?.type, 16),
      subjectId: clip(entry.subject?.id, 128),
      clientId: clip(entry.clientId, 128),
      ip: clip(entry.origin?.ip, 64),
      userAgent: clip(entry.origin?.userAgent, 512),
      reason: clip(entry.reason, 128),
      beforeState: entry.before === undefined ? null : JSON.stringify(entry.before),
      afterState: entry.after === undefined ? null : JSON.stringify(entry.after),
      requestId: clip(entry.origin?.requestId, 128),
    });
  }

  /**
   * For events outside any business transaction (sign-ins, token grants): a failed audit write is logged
   * at error level and never fails the user's request, which has already happened.
   */
  recordDetached(entry: AuditRecord): void {
    this.record(entry).catch((err: unknown) =>
      this.logger.error({ err, audit: { type: entry.type, tenantId: entry.tenantId } }, 'audit write failed'),
    );
  }

  /** Newest first. `userId` matches the actor or the subject. */
  async query(tenantId: string, q: AuditQuery): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    const qb = this.tenants.for(AuditEntry, tenantId).createQueryBuilder('a');
    if (q.userId) qb.andWhere('(a.subjectId = :user OR a.actorId = :user)', { user: q.userId });
    if (q.type) qb.andWhere('a.type = :type', { type: q.type });
    if (q.from) qb.andWhere('a.occurredAt >= :from', { from: q.from });
    if (q.to) qb.andWhere('a.occurredAt < :to', { to: q.to });
    if (q.before) qb.andWhere('a.id < :before', { before: q.before });
    const rows = await qb
      .orderBy('a.id', 'DESC')
      .take(q.limit + 1)
      .getMany();
    const items = rows.slice(0, q.limit);
    return { items, nextCursor: rows.length > q.limit ? (items.at(-1)?.id ?? null) : null };
  }
}
