import { join } from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../config/load-config.js';

/** The tracking projection's settings (read by the console). */
export interface TrackingConfig {
  /** The SQLite file of the projection. */
  readonly dbPath: string;
  /** Events, outcomes and orders older than this are pruned, and not taken in. */
  readonly retentionMs: number;
  /**
   * A trace UI's address of one trace, with `{traceId}` where the id goes (e.g.
   * `http://127.0.0.1:16686/trace/{traceId}`); null shows trace ids without links.
   */
  readonly traceUiUrl: string | null;
  /** Orders whose delivery has waited longer than this count as stuck on the dashboard (default; the page may ask for another). */
  readonly stuckAfterMs: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** Where the projection keeps its database unless TRACKING_DB_PATH says otherwise: one file per topic prefix. */
export function defaultTrackingDbPath(prefix: string): string {
  return join(process.cwd(), '.switchboard', 'data', prefix ? `tracking-${prefix.replace(/[^A-Za-z0-9_-]+/g, '_')}.db` : 'tracking.db');
}

/**
 * Reads TRACKING_DB_PATH, TRACKING_RETENTION_DAYS (7: what the workers' completed keys last, so
 * every kept delivery can still be settled), TRACE_UI_URL and TRACKING_STUCK_MINUTES (10).
 *
 * @example
 * ```ts
 * loadTrackingConfig({}, '').retentionMs; // 604800000
 * ```
 */
export function loadTrackingConfig(env: NodeJS.ProcessEnv, prefix: string): TrackingConfig {
  const config = loadConfig(
    'tracking projection',
    {
      TRACKING_DB_PATH: z.string().min(1).default(defaultTrackingDbPath(prefix)).describe('SQLite file of the console\'s tracking projection'),
      TRACKING_RETENTION_DAYS: z.coerce.number().positive('must be a number of days above 0').max(365, 'must be at most 365 days').default(7).describe('days of events, outcomes and orders the tracking projection keeps'),
      TRACE_UI_URL: z.string().url('must be a URL, with {traceId} where the trace id goes').refine((url) => url.includes('{traceId}'), 'must contain {traceId}, e.g. http://127.0.0.1:16686/trace/{traceId}').optional()
        .describe('link of one trace in a trace UI (Jaeger, Tempo, ...), with {traceId}'),
      TRACKING_STUCK_MINUTES: z.coerce.number().positive('must be a number of minutes above 0').default(10).describe('minutes after which a waiting order counts as stuck on the dashboard'),
    },
    env,
  );
  return {
    dbPath: config.TRACKING_DB_PATH,
    retentionMs: config.TRACKING_RETENTION_DAYS * DAY_MS,
    traceUiUrl: config.TRACE_UI_URL ?? null,
    stuckAfterMs: config.TRACKING_STUCK_MINUTES * 60_000,
  };
}
