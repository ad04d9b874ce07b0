import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { DataSource } from 'typeorm';

interface ModelRow {
  payload: string;
  consumed_at: Date | null;
  expires_at: Date | null;
}

/**
 * oidc-provider's storage in MySQL: one row per artifact in `oidc_models`. Sessions, grants, codes and
 * refresh tokens survive a restart and are shared by every sso instance. Expired rows are ignored on read
 * and removed by `purgeExpiredModels`.
 */
export class MysqlModelAdapter implements Adapter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly model: string,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const expiresAt = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
    await this.dataSource.query(
      `INSERT INTO oidc_models (model, id, payload, grant_id, uid, user_code, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE payload = VALUES(payload), grant_id = VALUES(grant_id), uid = VALUES(uid),
         user_code = VALUES(user_code), expires_at = VALUES(expires_at)`,
      [
        this.model,
        id,
        JSON.stringify(payload),
        payload.grantId ?? null,
        payload.uid ?? null,
        payload.userCode ?? null,
        expiresAt,
      ],
    );
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('id = ?', id);
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('uid = ?', uid);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('user_code = ?', userCode);
  }

  async consume(id: string): Promise<void> {
    await this.dataSource.query(
      'UPDATE oidc_models SET consumed_at = ? WHERE model = ? AND id = ? AND consumed_at IS NULL',
      [new Date(), this.model, id],
    );
  }

  async destroy(id: string): Promise<void> {
    await this.dataSource.query('DELETE FROM oidc_models WHERE model = ? AND id = ?', [this.model, id]);
  }

  /** Every artifact of a grant, whatever its model: logging out or revoking a grant ends all of them. */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM oidc_models WHERE grant_id = ?', [grantId]);
  }

  private async findWhere(condition: string, value: string): Promise<AdapterPayload | undefined> {
    const rows: ModelRow[] = await this.dataSource.query(
      `SELECT payload, consumed_at, expires_at FROM oidc_models WHERE model = ? AND ${condition} LIMIT 1`,
      [this.model, value],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.expires_at && row.expires_at.getTime() <= Date.now()) return undefined;
    const payload = JSON.parse(row.payload) as AdapterPayload;
    return row.consumed_at ? { ...payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : payload;
  }
}

/** Deletes artifacts that expired more than a minute ago; returns how many. */
export async function purgeExpiredModels(dataSource: DataSource, limit = 5000): Promise<number> {
  const result: { affectedRows?: number } = await dataSource.query(
    'DELETE FROM oidc_models WHERE expires_at < ? LIMIT ?',
    [new Date(Date.now() - 60_000), limit],
  );
  return result.affectedRows ?? 0;
}
