import pg from 'pg';
import type { Logger } from '../../log/logger.js';
import type { HttpDestination, RowWriter } from '../../runtime/action-executor.js';
import type { ExternalHttpTarget, PostgresTarget } from '../../sdk/types.js';
import { ExternalHttpGate } from './external-http-gate.js';
import { PostgresUpsertSink } from './postgres-upsert.js';
import { loadHttpTargetSettings, loadPostgresTargetSettings } from './target-config.js';

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The generic targets of one worker process, made on first use and shared by every connector
 * that names them: one gate per external HTTP target (so its rate limit and OAuth2 token are
 * the process's, not each connector's), one connection pool per PostgreSQL target. Settings
 * are read through loadConfig when a connector using the target starts: a missing variable
 * stops the worker, naming it.
 *
 * @example
 * ```ts
 * const targets = new TargetRegistry({ env: process.env, logger });
 * const http = targets.http({ kind: 'http', name: 'partner-api', auth: 'oauth2' }); // { baseUrl, timeoutMs, gate }
 * await targets.close();
 * ```
 */
export class TargetRegistry {
  private readonly gates = new Map<string, { readonly url: string; readonly gate: ExternalHttpGate }>();
  private readonly pools = new Map<string, pg.Pool>();

  constructor(private readonly options: { readonly env: NodeJS.ProcessEnv; readonly logger: Logger }) {}

  /** Where an external HTTP target's calls go, with its gate. */
  http(target: ExternalHttpTarget): HttpDestination {
    const timeoutMs = target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let entry = this.gates.get(target.name);
    if (!entry) {
      const settings = loadHttpTargetSettings(target, this.options.env);
      entry = { url: settings.url, gate: new ExternalHttpGate({ auth: settings.auth, ...(target.rateLimit ? { rateLimit: target.rateLimit } : {}), maxWaitMs: timeoutMs }) };
      this.gates.set(target.name, entry);
    }
    return { baseUrl: entry.url, timeoutMs, gate: entry.gate };
  }

  /** The row writer of a PostgreSQL target's table. */
  rows(target: PostgresTarget): RowWriter {
    let pool = this.pools.get(target.name);
    if (!pool) {
      const { databaseUrl } = loadPostgresTargetSettings(target, this.options.env);
      pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
      // An idle connection the server closes must not crash the worker; the next query reconnects.
      pool.on('error', (error) => this.options.logger.warn({ err: error, target: target.name }, 'postgres target connection lost'));
      this.pools.set(target.name, pool);
    }
    return new PostgresUpsertSink({ pool, table: target.table, keyColumn: target.keyColumn ?? 'id', logger: this.options.logger });
  }

  /** Closes the PostgreSQL pools. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.pools.values()].map((pool) => pool.end()));
    this.pools.clear();
  }
}
