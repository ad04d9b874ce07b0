import type { ValueTransformer } from 'typeorm';

/**
 * JSON kept in a `text` column (not the JSON type): identical on MariaDB 10.11 and MySQL 8.4, for small values
 * that are never queried inside (roles, origins, rules, settings). A NULL column reads as `fallback`; a null
 * value is written as NULL (nullable columns), an undefined one as `fallback`.
 */
export const jsonText = <T>(fallback: T): ValueTransformer => ({
  to: (value: T | null | undefined): string | null =>
    value === null ? null : JSON.stringify(value === undefined ? fallback : value),
  from: (value: string | null): T => (value ? (JSON.parse(value) as T) : fallback),
});
