import { join } from 'node:path';
import { z } from 'zod';
import { loadConfig, port } from '../config/load-config.js';
import { tokenEntriesSchema, type TokenEntry } from './tokens.js';

/** Where the admin API keeps its tokens unless SWITCHBOARD_TOKENS_FILE says otherwise. */
export function defaultTokensFile(): string {
  return join(process.cwd(), '.switchboard', 'tokens.json');
}

/** Where `switchboard up` writes the local admin token, and where the CLI looks for one. */
export function defaultAdminTokenFile(): string {
  return join(process.cwd(), '.switchboard', 'admin-token');
}

/** `SWITCHBOARD_ADMIN_TOKEN_FILE`: where `switchboard up` writes the local admin token and the CLI reads a token when none is given. */
export function loadAdminTokenFile(env: NodeJS.ProcessEnv = process.env): string {
  return loadConfig(
    'admin token file',
    { SWITCHBOARD_ADMIN_TOKEN_FILE: z.string().min(1).default(defaultAdminTokenFile()).describe('file holding the local admin token (written by switchboard up, mode 0600)') },
    env,
  ).SWITCHBOARD_ADMIN_TOKEN_FILE;
}

/** The admin API's settings (`switchboard console`). */
export interface AdminConfig {
  readonly port: number;
  readonly host: string;
  /** The tokens: a file the API may change, or a fixed list from SWITCHBOARD_TOKENS. */
  readonly tokens: { readonly file: string } | { readonly fixed: readonly TokenEntry[] };
  /** How often lag and worker counters are sampled for status, rates and the Burrow evaluation. */
  readonly sampleIntervalMs: number;
  /** Samples in the Burrow window. */
  readonly windowSamples: number;
  /** Dead letters kept in the in-memory index (all connectors together); older ones drop out. */
  readonly deadLetterIndexLimit: number;
  /** Bytes of dead-letter payloads kept in memory; older payloads are read back from Kafka when asked for. */
  readonly deadLetterValueBudgetBytes: number;
  /** Audit entries kept in memory for `GET /api/audit`. */
  readonly auditIndexLimit: number;
}

/** SWITCHBOARD_TOKENS: a JSON array of `{name, role, hash}`. */
const fixedTokens = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'must be a JSON array of {"name", "role", "hash"}, e.g. [{"name":"ci","role":"viewer","hash":"<sha-256 hex>"}]' });
      return z.NEVER;
    }
  })
  .pipe(tokenEntriesSchema);

const count = (min: number) => z.coerce.number().int().min(min, `must be a whole number of at least ${min}`);

/**
 * Reads the admin API's configuration: `ADMIN_PORT` (8080), `ADMIN_HOST` (127.0.0.1),
 * `SWITCHBOARD_TOKENS` (JSON of `{name, role, hash}`; when set the tokens file is not used) or
 * `SWITCHBOARD_TOKENS_FILE` (`.switchboard/tokens.json`), and the sampling and index sizes.
 *
 * @example
 * ```ts
 * loadAdminConfig({}).port; // 8080
 * ```
 */
export function loadAdminConfig(env: NodeJS.ProcessEnv = process.env): AdminConfig {
  const config = loadConfig(
    'admin API',
    {
      ADMIN_PORT: port.default(8080).describe('TCP port of the admin API'),
      ADMIN_HOST: z.string().min(1).default('127.0.0.1').describe('interface the admin API listens on, e.g. 0.0.0.0'),
      SWITCHBOARD_TOKENS: fixedTokens.optional().describe('the admin API tokens as JSON [{"name","role","hash"}] (roles viewer, operator, admin; hash = SHA-256 hex of the token); replaces the tokens file'),
      SWITCHBOARD_TOKENS_FILE: z.string().min(1).default(defaultTokensFile()).describe('file of the admin API tokens (hashes only), mode 0600'),
      ADMIN_SAMPLE_INTERVAL_MS: count(100).default(5000).describe('how often lag and worker counters are sampled, in ms'),
      ADMIN_STATUS_WINDOW: count(3).default(10).describe('samples in the Burrow evaluation window'),
      ADMIN_DLQ_INDEX_LIMIT: count(100).default(10_000).describe('dead letters kept in the in-memory index (about 1 KB each)'),
      ADMIN_DLQ_VALUE_BUDGET_MB: count(1).default(8).describe('MB of dead-letter headers and payloads kept in memory; older ones are read back from Kafka when shown'),
      ADMIN_AUDIT_INDEX_LIMIT: count(100).default(10_000).describe('audit entries kept in memory for GET /api/audit'),
    },
    env,
  );
  return {
    port: config.ADMIN_PORT,
    host: config.ADMIN_HOST,
    tokens: config.SWITCHBOARD_TOKENS !== undefined ? { fixed: config.SWITCHBOARD_TOKENS } : { file: config.SWITCHBOARD_TOKENS_FILE },
    sampleIntervalMs: config.ADMIN_SAMPLE_INTERVAL_MS,
    windowSamples: config.ADMIN_STATUS_WINDOW,
    deadLetterIndexLimit: config.ADMIN_DLQ_INDEX_LIMIT,
    deadLetterValueBudgetBytes: config.ADMIN_DLQ_VALUE_BUDGET_MB * 1024 * 1024,
    auditIndexLimit: config.ADMIN_AUDIT_INDEX_LIMIT,
  };
}
