import type { ValueTransformer } from 'typeorm';

/**
 * JSON kept in a `text` column (not the JSON type): identical on MariaDB 10.11 and MySQL 8.4, and small
 * enough here (roles, queues, redirect URIs) that it is never queried inside.
 */
export const jsonText = <T>(fallback: T): ValueTransformer => ({
  to: (value: T | undefined): string => JSON.stringify(value ?? fallback),
  from: (value: string | null): T => (value ? (JSON.parse(value) as T) : fallback),
});
