import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { acrossTenants } from '@okc/persistence';
import { ROOT_LOGGER } from '@okc/runtime';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ConnectionStatusRegistry } from '../connections/connection-status';
import { ConnectionsService } from '../connections/connections.service';
import { PbxConnection } from '../connections/pbx-connection.entity';
import { LookupService } from '../lookup/lookup.service';
import { queueLogFileSource, queueLogTableSource, type QueueLogSource } from '../queue-log';
import { FactWriter } from './fact-writer';
import { PbxLink } from './pbx-link';

/** How often the running links are compared with the connections in the database. */
export const LINK_RECONCILE_MS = 5_000;

/**
 * Runs one PbxLink per enabled connection of every tenant, and keeps the set in line with the database: a
 * connection added, changed (host, credentials, rules) or disabled is started, restarted or stopped within
 * LINK_RECONCILE_MS. Two instances may both run a link to the same PBX: the FactWriter's de-duplication makes
 * that safe (and a failover instant).
 */
@Injectable()
export class LinkManager implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly links = new Map<string, { link: PbxLink; version: number }>();
  private timer: NodeJS.Timeout | null = null;
  private readonly connectedListeners: ((link: PbxLink) => void)[] = [];
  private reconciling: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly connections: ConnectionsService,
    private readonly status: ConnectionStatusRegistry,
    private readonly writer: FactWriter,
    private readonly lookups: LookupService,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const loop = () => {
      this.timer = setTimeout(() => {
        void this.reconcile()
          .catch((err: unknown) => this.logger.debug({ err }, 'links not reconciled (database away?)'))
          .finally(loop);
      }, LINK_RECONCILE_MS);
      this.timer.unref();
    };
    void this.reconcile().catch(() => undefined);
    loop();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.reconciling?.catch(() => undefined);
    await Promise.all([...this.links.values()].map(({ link }) => link.stop()));
    this.links.clear();
  }

  /** Called whenever a link logs in (again): state the PBX may have lost is pushed from here. */
  onLinkConnected(listener: (link: PbxLink) => void): void {
    this.connectedListeners.push(listener);
  }

  /** The running, logged-in links of a tenant (commands and modes go through them). */
  linksOf(tenantId: string): PbxLink[] {
    return [...this.links.values()].map((l) => l.link).filter((l) => l.tenantId === tenantId && l.connected);
  }

  /** Brings the running links in line with the database now (also what the timer does). */
  reconcile(): Promise<void> {
    this.reconciling ??= this.doReconcile().finally(() => (this.reconciling = null));
    return this.reconciling;
  }

  private async doReconcile(): Promise<void> {
    const wanted = await acrossTenants(
      this.dataSource.getRepository(PbxConnection),
      'the link manager runs every tenant’s enabled connections',
    ).findBy({ enabled: true });
    const seen = new Set<string>();
    for (const connection of wanted) {
      seen.add(connection.id);
      const version = connection.updatedAt.getTime();
      const running = this.links.get(connection.id);
      if (running && running.version === version) continue;
      if (running) await running.link.stop();
      let secret: string;
      try {
        secret = this.connections.credentials(connection).secret;
      } catch {
        this.status.recordError(
          connection.id,
          'The stored secret cannot be decrypted (PBX_SECRET_KEY changed?): enter it again',
        );
        continue;
      }
      const link = new PbxLink({
        connection,
        secret,
        queueLog: this.queueLogSource(connection),
        writer: this.writer,
        status: this.status,
        logger: this.logger.child({ component: 'pbx-link' }),
        lookup: (tenantId, number) => this.lookups.lookup(tenantId, number),
        onConnected: (connected) => this.connectedListeners.forEach((listener) => listener(connected)),
      });
      this.links.set(connection.id, { link, version });
      link.start();
    }
    for (const [id, { link }] of this.links) {
      if (!seen.has(id)) {
        await link.stop();
        this.links.delete(id);
      }
    }
  }

  private queueLogSource(connection: PbxConnection): QueueLogSource | null {
    if (connection.queueLogTable) {
      try {
        return queueLogTableSource(connection.queueLogTable, this.connections.queueLogPassword(connection));
      } catch {
        this.status.recordError(
          connection.id,
          'The stored queue_log password cannot be decrypted (PBX_SECRET_KEY changed?): enter it again',
        );
        return null;
      }
    }
    return connection.queueLogPath ? queueLogFileSource(connection.queueLogPath) : null;
  }
}
