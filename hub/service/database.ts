import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type { Database } from 'better-sqlite3';
type Db = Database.Database;

/** One schema change. Versions are applied in ascending order, each once, in its own transaction. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * SQLite's page cache per connection, in KiB: SQLite's own default. better-sqlite3 compiles SQLite
 * with 16 MB instead (`SQLITE_DEFAULT_CACHE_SIZE=-16000`), and a service's cache filled to it as
 * its database grew under load: that was most of the growth of the services' RSS (malloc's heap
 * 14 → 27 MB over two end-to-end steps). The pages stay in the kernel's page cache, so a miss is a
 * read from memory, not from disk. The measurement is in bench/COMPARISONS.md.
 */
const PAGE_CACHE_KIB = 2000;

/**
 * Opens (creating when missing) a service's SQLite database and brings its schema up to date.
 *
 * WAL lets readers run while the outbox relay and the API write; `busy_timeout` makes a second
 * process wait for the write lock instead of failing at once; foreign keys are off by default
 * in SQLite, so they are switched on here. `:memory:` gives a private database (tests).
 *
 * @example
 * ```ts
 * const db = openDatabase('.switchboard/data/crm.db', [...PLUMBING_MIGRATIONS, ...CRM_MIGRATIONS]);
 * ```
 */
export function openDatabase(path: string, migrations: readonly Migration[]): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // WAL with synchronous=NORMAL is durable across process crashes, which is what the outbox needs.
    db.pragma('synchronous = NORMAL');
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    applyMigrations(db, migrations);
    cacheStatements(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Most statements a database keeps compiled; past it the cache starts over (the SQL of the code is a fixed, small set). */
const STATEMENT_CACHE_LIMIT = 500;

/**
 * Makes `db.prepare(sql)` hand back the statement compiled for the same SQL before. Why: the
 * services prepare their statements where they run them, per request, and compiling the SQL was
 * the largest single cost of a request (15 % of the ERP's CPU under the end-to-end bench). A
 * statement comes back with its pluck, raw and expand modes off, as a new one would.
 */
function cacheStatements(db: Db): void {
  const compile = db.prepare.bind(db);
  const compiled = new Map<string, Database.Statement>();
  const prepare = (source: string): Database.Statement => {
    let statement = compiled.get(source);
    if (statement) {
      // A caller may have switched a mode on (`.pluck()`): the next one gets it as prepared.
      if (statement.reader) statement.pluck(false).raw(false).expand(false);
      return statement;
    }
    if (compiled.size >= STATEMENT_CACHE_LIMIT) compiled.clear();
    statement = compile(source);
    compiled.set(source, statement);
    return statement;
  };
  db.prepare = prepare as Db['prepare'];
}

/** Applies the migrations `db` has not seen yet; refuses a database whose history differs. */
export function applyMigrations(db: Db, migrations: readonly Migration[]): void {
  for (let i = 1; i < migrations.length; i += 1) {
    const previous = migrations[i - 1];
    const current = migrations[i];
    if (previous && current && current.version <= previous.version) {
      throw new Error(`migrations must have strictly increasing versions: ${previous.version} then ${current.version}`);
    }
  }
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const applied = new Map(
    (db.prepare('SELECT version, name FROM schema_migrations').all() as { version: number; name: string }[]).map((row) => [row.version, row.name]),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of migrations) {
    const known = applied.get(migration.version);
    if (known !== undefined) {
      if (known !== migration.name) {
        throw new Error(`database migration ${migration.version} is "${known}", the code expects "${migration.name}": wrong database file?`);
      }
      continue;
    }
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    })();
  }
}

/**
 * Next value of a named counter (order numbers, invoice numbers). Runs inside the caller's
 * transaction, so a rolled-back command does not consume a number.
 */
export function nextSequence(db: Db, name: string): number {
  const row = db
    .prepare('INSERT INTO sequences (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value')
    .get(name) as { value: number };
  return row.value;
}
