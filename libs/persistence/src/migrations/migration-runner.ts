import type { DataSource } from 'typeorm';

export interface MigrationReport {
  applied: string[];
  pending: string[];
}

/** Applies every pending migration of a service, each in its own transaction. */
export async function runMigrations(dataSource: DataSource): Promise<MigrationReport> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return { applied: applied.map((m) => m.name), pending: [] };
}

/** Reverts the last applied migration (migrations are reversible; `down` must undo `up`). */
export async function revertLastMigration(dataSource: DataSource): Promise<void> {
  await dataSource.undoLastMigration({ transaction: 'each' });
}
