import type { Database, Statement } from 'better-sqlite3';

/** Statements prepared once, by the names their SQL was given under. */
export type PreparedStatements<K extends string> = { readonly [name in K]: Statement };

/**
 * Prepares each SQL text of `sql` once on `db`, under the same name. The tracking store and the
 * track query keep their SQL as data and prepare it here, so each statement is compiled once per
 * connection (not per call) and a misspelt statement name is a type error.
 *
 * @example
 * ```ts
 * const s = prepareStatements(db, { count: 'SELECT count(*) AS n FROM events' });
 * s.count.get(); // { n: 42 }
 * ```
 */
export function prepareStatements<K extends string>(db: Database, sql: Readonly<Record<K, string>>): PreparedStatements<K> {
  const prepared = {} as Record<K, Statement>;
  for (const name of Object.keys(sql) as K[]) prepared[name] = db.prepare(sql[name]);
  return prepared;
}
