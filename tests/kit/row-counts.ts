import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';

/** Row count of every table except the migration log: compare before and after to prove nothing was written. */
export function rowCounts(db: Database): Record<string, number> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'").all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

/**
 * Row count and a SHA-256 of the contents of every table except the migration log: equal
 * digests before and after a request prove it neither added, removed nor changed a row.
 */
export function tableDigests(db: Database): Record<string, { rows: number; sha256: string }> {
  return Object.fromEntries(Object.keys(rowCounts(db)).map((name) => {
    const rows = db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).raw().all();
    return [name, { rows: rows.length, sha256: createHash('sha256').update(JSON.stringify(rows)).digest('hex') }];
  }));
}
