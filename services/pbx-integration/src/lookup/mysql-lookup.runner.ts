import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectConfig } from '@okc/runtime';
import { createPool, type Pool, type RowDataPacket } from 'mysql2/promise';
import type { PbxIntegrationConfig } from '../config';
import { causeMessage, errorCode, LookupFailure } from './lookup.errors';
import type { MysqlConnectorConfig } from './lookups.dto';
import { type FieldsFound, mapFields } from './screen-pop';
import { countQueryParameters } from './sql-query';

/** A pool not used for this long is closed (its connector was removed or changed on another instance). */
const POOL_IDLE_MS = 5 * 60_000;
/** Lookups waiting for a connection of one connector beyond this are refused at once. */
const POOL_QUEUE_LIMIT = 20;

interface PoolEntry {
  readonly pool: Pool;
  /** The connector settings the pool was made for; a change makes a new pool. */
  readonly fingerprint: string;
  lastUsed: number;
}

/**
 * Runs one mysql lookup against a tenant's own database. The connection is read-only in effect: every
 * session starts with `SET SESSION TRANSACTION READ ONLY` (and `sql_select_limit = 1`: only the first row
 * is used), and each query runs inside `START TRANSACTION READ ONLY`, so even a SELECT calling a function
 * that writes is refused by the server, whatever the user may do. Each connector has its own small pool
 * (LOOKUP_MYSQL_POOL_SIZE per instance); the query has mysql2's `timeout`, and the whole run (waiting for a
 * connection included) the connector's timeout. A connection that timed out or failed is destroyed, never
 * reused.
 */
@Injectable()
export class MysqlLookupRunner implements OnApplicationShutdown {
  private readonly pools = new Map<string, PoolEntry>();
  /** Sessions already made read-only (keyed by the driver's connection, which the pool reuses). */
  private readonly readOnlySessions = new WeakSet<object>();

  constructor(@InjectConfig() private readonly config: PbxIntegrationConfig) {}

  async run(connectorKey: string, config: MysqlConnectorConfig, number: string): Promise<FieldsFound> {
    const pool = this.poolFor(connectorKey, config);
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(
          new LookupFailure(
            'timeout',
            `no answer within ${config.timeoutMs} ms: raise timeoutMs, add an index for the query, or check the server`,
          ),
        );
      }, config.timeoutMs);
    });
    const work = this.query(pool, config, number, () => timedOut);
    try {
      const row = await Promise.race([work, timeout]);
      return mapFields(config.fieldMapping, (column) => (row ? row[column] : undefined));
    } catch (err) {
      throw asLookupFailure(err, config);
    } finally {
      clearTimeout(timer);
      work.catch(() => undefined);
    }
  }

  private async query(
    pool: Pool,
    config: MysqlConnectorConfig,
    number: string,
    timedOut: () => boolean,
  ): Promise<RowDataPacket | undefined> {
    const started = Date.now();
    const conn = await pool.getConnection();
    // Back to the pool only when its state is known (no query running, no transaction open).
    let reusable = true;
    try {
      if (timedOut()) return undefined;
      if (!this.readOnlySessions.has(conn.connection)) {
        await conn.query('SET SESSION TRANSACTION READ ONLY');
        await conn.query('SET SESSION sql_select_limit = 1');
        this.readOnlySessions.add(conn.connection);
      }
      await conn.query('START TRANSACTION READ ONLY');
      const left = Math.max(1, config.timeoutMs - (Date.now() - started));
      // A failed or timed-out query leaves the connection in an unknown state: the outer catch destroys it.
      const [rows] = await conn.execute<RowDataPacket[]>({
        sql: config.query,
        values: new Array<string>(countQueryParameters(config.query)).fill(number),
        timeout: left,
      });
      await conn.query('ROLLBACK');
      reusable = !timedOut();
      return rows[0];
    } catch (err) {
      reusable = false;
      throw err;
    } finally {
      if (reusable) conn.release();
      else conn.destroy();
    }
  }

  private poolFor(connectorKey: string, config: MysqlConnectorConfig): Pool {
    const now = Date.now();
    for (const [key, entry] of this.pools) {
      if (now - entry.lastUsed > POOL_IDLE_MS) this.forget(key);
    }
    const fingerprint = JSON.stringify([
      config.host,
      config.port,
      config.user,
      config.password,
      config.database,
      config.timeoutMs,
    ]);
    const existing = this.pools.get(connectorKey);
    if (existing && existing.fingerprint === fingerprint) {
      existing.lastUsed = now;
      return existing.pool;
    }
    if (existing) this.forget(connectorKey);
    const size = this.config.LOOKUP_MYSQL_POOL_SIZE;
    const pool = createPool({
      host: config.host,
      port: config.port,
      user: config.user,
      password: config.password,
      database: config.database,
      connectionLimit: size,
      // Keep one idle connection for the next call; close the others after a minute.
      maxIdle: Math.max(1, size - 1),
      idleTimeout: 60_000,
      queueLimit: POOL_QUEUE_LIMIT,
      connectTimeout: config.timeoutMs,
      multipleStatements: false,
      // A server cannot ask this process for a local file (LOAD DATA LOCAL).
      flags: ['-LOCAL_FILES'],
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
    // Errors of idle connections (the server closed them) are not this lookup's business.
    pool.pool.on('connection', (conn) => conn.on('error', () => undefined));
    this.pools.set(connectorKey, { pool, fingerprint, lastUsed: now });
    return pool;
  }

  /** Closes a connector's pool (it was changed or removed). */
  forget(connectorKey: string): void {
    const entry = this.pools.get(connectorKey);
    if (!entry) return;
    this.pools.delete(connectorKey);
    entry.pool.end().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((entry) => entry.pool.end().catch(() => undefined)));
  }
}

/** A mysql2 error in words an admin can act on. */
function asLookupFailure(err: unknown, config: MysqlConnectorConfig): LookupFailure {
  if (err instanceof LookupFailure) return err;
  const where = `${config.host}:${config.port}`;
  const code = errorCode(err);
  const server = causeMessage(err);
  switch (code ?? '') {
    case 'PROTOCOL_SEQUENCE_TIMEOUT':
      return new LookupFailure(
        'timeout',
        `the query took longer than ${config.timeoutMs} ms: add an index for it or raise timeoutMs`,
      );
    case 'ETIMEDOUT':
      return new LookupFailure('timeout', `could not connect to ${where} within ${config.timeoutMs} ms`);
    case 'ECONNREFUSED':
      return new LookupFailure(
        'error',
        `connection refused by ${where}: is the database up and the port right?`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new LookupFailure('error', `host not found: ${config.host}`);
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      return new LookupFailure(
        'error',
        `access denied for user "${config.user}": check the user and password`,
      );
    case 'ER_DBACCESS_DENIED_ERROR':
    case 'ER_BAD_DB_ERROR':
      return new LookupFailure('error', `cannot use database "${config.database}": ${server}`);
    case 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION':
      return new LookupFailure(
        'error',
        `the query tried to write, and lookups are read-only: ${server}. Use a query that only reads`,
      );
    case 'ER_PARSE_ERROR':
      return new LookupFailure('error', `the query has an SQL error: ${server}`);
    case 'ER_NO_SUCH_TABLE':
    case 'ER_BAD_FIELD_ERROR':
    case 'ER_TABLEACCESS_DENIED_ERROR':
    case 'ER_COLUMNACCESS_DENIED_ERROR':
    case 'ER_SP_DOES_NOT_EXIST':
      return new LookupFailure('error', `the database refused the query: ${server}`);
    default:
      if (server === 'Queue limit reached.') {
        return new LookupFailure(
          'error',
          `too many lookups waiting for this connector's connections: speed the query up or raise LOOKUP_MYSQL_POOL_SIZE`,
        );
      }
      return new LookupFailure('error', `the database lookup failed: ${server}${code ? ` (${code})` : ''}`);
  }
}
