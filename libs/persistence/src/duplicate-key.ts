/** MySQL/MariaDB duplicate key (ER_DUP_ENTRY, 1062), raw from mysql2 or as TypeORM's QueryFailedError carries it. */
export function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: unknown; errno?: unknown; driverError?: { code?: unknown; errno?: unknown } };
  return (
    e?.code === 'ER_DUP_ENTRY' ||
    e?.errno === 1062 ||
    e?.driverError?.code === 'ER_DUP_ENTRY' ||
    e?.driverError?.errno === 1062
  );
}
