import { z } from 'zod';
import { CDC_TABLES } from '../../../catalogue/index.js';
import { loadConfig } from '../../config/load-config.js';

/** What `switchboard cdc` captures, and how. */
export interface CdcConfig {
  /** The PostgreSQL database (a role with REPLICATION, wal_level=logical). */
  readonly databaseUrl: string;
  /** The catalogue source whose tables are captured (CDC_TABLES entries with this `source`). */
  readonly source: string;
  readonly slot: string;
  readonly publication: string;
  /** Changes per produce request. */
  readonly batchSize: number;
  /** How long capture may stay without a commit before a logical message is written, so the slot's confirmed position moves on an idle source. */
  readonly heartbeatMs: number;
}

const SOURCES = [...new Set(CDC_TABLES.map((table) => table.source))];
const SQL_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Reads the CDC settings: `CDC_DATABASE_URL` (required), `CDC_SOURCE` (a source of CDC_TABLES
 * in topics/catalogue.ts; may be left out when there is one), `CDC_SLOT` and
 * `CDC_PUBLICATION` (default `switchboard_<source>`), `CDC_BATCH_SIZE` (500),
 * `CDC_HEARTBEAT_MS` (10 000).
 *
 * @example
 * ```ts
 * loadCdcConfig({ CDC_DATABASE_URL: 'postgres://switchboard:switchboard@127.0.0.1:5432/warehouse' }).slot; // 'switchboard_legacy_warehouse'
 * ```
 */
export function loadCdcConfig(env: NodeJS.ProcessEnv = process.env): CdcConfig {
  const config = loadConfig('cdc', {
    CDC_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL, e.g. postgres://switchboard:switchboard@127.0.0.1:5432/warehouse').describe('the database whose tables are captured'),
    CDC_SOURCE: z.enum(SOURCES as [string, ...string[]]).optional().describe(`the captured source of topics/catalogue.ts (${SOURCES.join(', ')})`),
    CDC_SLOT: z.string().regex(SQL_IDENTIFIER, 'must be lower-case letters, digits and _ (at most 63)').optional().describe('the logical replication slot'),
    CDC_PUBLICATION: z.string().regex(SQL_IDENTIFIER, 'must be lower-case letters, digits and _ (at most 63)').optional().describe('the publication of the captured tables'),
    CDC_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500).describe('changes per produce request'),
    CDC_HEARTBEAT_MS: z.coerce.number().int().min(100).default(10_000).describe('idle time before a heartbeat message moves the slot on'),
  }, env, (value) => (value.CDC_SOURCE === undefined && SOURCES.length !== 1 ? [{ variable: 'CDC_SOURCE', message: `is required: the catalogue has ${SOURCES.length} sources (${SOURCES.join(', ')})` }] : []));
  const source = config.CDC_SOURCE ?? (SOURCES[0] as string);
  const name = `switchboard_${source.replace(/-/g, '_')}`;
  return {
    databaseUrl: config.CDC_DATABASE_URL,
    source,
    slot: config.CDC_SLOT ?? name,
    publication: config.CDC_PUBLICATION ?? name,
    batchSize: config.CDC_BATCH_SIZE,
    heartbeatMs: config.CDC_HEARTBEAT_MS,
  };
}

/** True when the environment asks for change-data capture (`switchboard up` then starts `switchboard cdc`): CDC_DATABASE_URL is set. */
export function cdcConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return loadConfig('cdc', { CDC_DATABASE_URL: z.string().optional().describe('the database whose tables are captured') }, env).CDC_DATABASE_URL !== undefined;
}
