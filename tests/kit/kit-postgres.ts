/**
 * PostgreSQL for tests: the local stack's server (`switchboard stack up --with postgres`),
 * started when nothing answers, and a database of its own per test file, dropped afterwards
 * with its replication slots.
 */
import pg from 'pg';
import { startPostgres } from '../../stack/index.js';
import { postgresUrl } from '../../stack/postgres-config.js';
import { resolveStackSettings } from '../../stack/stack-settings.js';
import { uniquePrefix } from './isolation.js';

/** One database of the test's own. */
export interface TestDatabase {
  /** `postgres://switchboard:switchboard@127.0.0.1:<port>/<name>`. */
  readonly url: string;
  readonly name: string;
  /** Runs one statement on a shared connection to the database; resolves to its rows. */
  query<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Ends the connection, the slots and walsenders on the database, and drops it. */
  drop(): Promise<void>;
}

let serverUrl: Promise<string> | undefined;

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The URL of the `switchboard` database of the local server, starting the server when it does not answer. */
export function localPostgres(): Promise<string> {
  serverUrl ??= (async () => {
    const settings = resolveStackSettings({});
    const url = postgresUrl(settings.postgresPort);
    if (await answers(url)) return url;
    try {
      await startPostgres({ dir: settings.postgresDir, port: settings.postgresPort }, (line) => process.stderr.write(`${line}\n`), []);
    } catch (error) {
      // Another test file may have started it a moment ago.
      if (!(await answers(url))) throw error;
    }
    return url;
  })();
  return serverUrl;
}

/**
 * A fresh database on the local server (as its superuser `switchboard`, which may replicate).
 *
 * @example
 * ```ts
 * const db = await createTestDatabase('cdc');
 * await db.query('CREATE TABLE t (id int PRIMARY KEY)');
 * afterAll(() => db.drop());
 * ```
 */
export async function createTestDatabase(label = 'pg'): Promise<TestDatabase> {
  const server = await localPostgres();
  const name = uniquePrefix(`swb_${label}_`).replace(/[^a-z0-9_]/g, '_').replace(/_+$/, '');
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = server.replace(/\/[^/]*$/, `/${name}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    url,
    name,
    query: async <T extends pg.QueryResultRow>(sql: string, params: readonly unknown[] = []) => (await client.query<T>(sql, [...params])).rows,
    drop: async () => {
      await client.end().catch(() => undefined);
      const cleanup = new pg.Client({ connectionString: server });
      await cleanup.connect();
      try {
        await cleanup.query('SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = $1 AND active_pid IS NOT NULL', [name]);
        for (let attempt = 0; attempt < 50; attempt++) {
          const { rows } = await cleanup.query<{ slot_name: string; active: boolean }>('SELECT slot_name, active FROM pg_replication_slots WHERE database = $1', [name]);
          if (rows.length === 0) break;
          for (const slot of rows.filter((row) => !row.active)) await cleanup.query('SELECT pg_drop_replication_slot($1)', [slot.slot_name]).catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await cleanup.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
