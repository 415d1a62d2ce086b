import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ConfigError, ERRORS } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import { ConflictError, NotFoundError } from '../service/errors.js';
import type { Role } from './roles.js';
import { hashToken, newToken, tokenEntriesSchema, type TokenEntry } from './tokens.js';

/** A token as listed: everything but its hash. */
export type TokenListing = Omit<TokenEntry, 'hash'>;

/** The shape of the tokens file. */
const fileSchema = z.object({ tokens: tokenEntriesSchema });

/**
 * The admin API's tokens: who may call it with which role. Either a file (`.switchboard/tokens.json`,
 * mode 0600, changed through the API and `switchboard tokens`) or a fixed list from
 * SWITCHBOARD_TOKENS (read-only: the API refuses to create or revoke).
 *
 * The file is read again whenever it changes on disk, so a token that `switchboard up` or
 * another console wrote is known at once, and a revoked one is refused at once.
 *
 * @example
 * ```ts
 * const store = TokenStore.fromFile('.switchboard/tokens.json', logger);
 * const { token } = store.create('alice', 'operator'); // give `token` to Alice; it is not stored
 * store.authenticate(token); // { name: 'alice', role: 'operator', ... }
 * ```
 */
export class TokenStore {
  private entries: TokenEntry[] = [];
  private byHash = new Map<string, TokenEntry>();
  /** `mtimeMs:size` of the file as last read. */
  private seen = '';

  private constructor(
    private readonly file: string | undefined,
    private readonly logger: Logger | undefined,
    fixed: readonly TokenEntry[] = [],
  ) {
    if (file === undefined) this.use([...fixed]);
    else this.reload(true);
  }

  /** Tokens kept in `file` (created on the first write; a missing file holds none). */
  static fromFile(file: string, logger?: Logger): TokenStore {
    return new TokenStore(file, logger);
  }

  /** A fixed set of tokens (SWITCHBOARD_TOKENS); create and revoke are refused. */
  static fixed(entries: readonly TokenEntry[]): TokenStore {
    return new TokenStore(undefined, undefined, entries);
  }

  /** True when tokens cannot be created or revoked here (they come from SWITCHBOARD_TOKENS). */
  get readOnly(): boolean {
    return this.file === undefined;
  }

  /** Where the tokens are kept, for messages. */
  get source(): string {
    return this.file ?? 'SWITCHBOARD_TOKENS';
  }

  /** The entry of a presented token, or undefined for a token nobody issued (or one revoked). */
  authenticate(token: string): TokenEntry | undefined {
    this.reload(false);
    return this.byHash.get(hashToken(token));
  }

  /** Every token, without hashes, by name. */
  list(): TokenListing[] {
    this.reload(false);
    return this.entries.map(({ name, role, createdAt }) => ({ name, role, ...(createdAt ? { createdAt } : {}) })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Issues a token for `name`; the token is in the answer only, the store keeps its hash. */
  create(name: string, role: Role): { token: string; entry: TokenListing } {
    this.writable();
    this.reload(false);
    if (this.entries.some((entry) => entry.name === name)) {
      throw new ConflictError(ERRORS.ADMIN_TOKEN_EXISTS.code, `a token named ${name} exists; revoke it first or choose another name`, { field: 'name' });
    }
    const token = newToken();
    const entry: TokenEntry = { name, role, hash: hashToken(token), createdAt: new Date().toISOString() };
    this.save([...this.entries, entry]);
    return { token, entry: { name, role, createdAt: entry.createdAt } };
  }

  /** Revokes the token of `name`: it is refused from the next request on. */
  revoke(name: string): TokenListing {
    this.writable();
    this.reload(false);
    const entry = this.entries.find((candidate) => candidate.name === name);
    if (!entry) throw new NotFoundError(ERRORS.ADMIN_TOKEN_NOT_FOUND.code, `no token named ${name}`, { field: 'name' });
    this.save(this.entries.filter((candidate) => candidate !== entry));
    return { name: entry.name, role: entry.role, ...(entry.createdAt ? { createdAt: entry.createdAt } : {}) };
  }

  private writable(): void {
    if (this.readOnly) {
      throw new ConflictError(ERRORS.ADMIN_TOKENS_READ_ONLY.code, 'tokens come from SWITCHBOARD_TOKENS and cannot be changed through the API; edit the variable and restart the console');
    }
  }

  private use(entries: TokenEntry[]): void {
    this.entries = entries;
    this.byHash = new Map(entries.map((entry) => [entry.hash, entry]));
  }

  /** Reads the file when it changed since the last read. At start a bad file is an error; later one is logged and the last good tokens kept. */
  private reload(atStart: boolean): void {
    const file = this.file;
    if (file === undefined) return;
    let stamp: string;
    try {
      const stat = statSync(file);
      stamp = `${stat.mtimeMs}:${stat.size}`;
    } catch {
      stamp = 'missing';
    }
    if (stamp === this.seen) return;
    try {
      this.use(stamp === 'missing' ? [] : readTokensFile(file));
      this.seen = stamp;
    } catch (error) {
      if (atStart) throw error;
      this.seen = stamp;
      this.logger?.warn({ err: error, file }, 'the tokens file cannot be read; keeping the tokens read before');
    }
  }

  private save(entries: TokenEntry[]): void {
    const file = this.file as string;
    writeTokensFile(file, entries);
    this.use(entries);
    const stat = statSync(file);
    this.seen = `${stat.mtimeMs}:${stat.size}`;
  }
}

/** Reads and validates a tokens file; a ConfigError names the file and what is wrong. */
export function readTokensFile(file: string): TokenEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`tokens file ${file} is not readable JSON (${(error as Error).message}); fix or delete it (SWITCHBOARD_TOKENS_FILE)`);
  }
  const result = fileSchema.safeParse(parsed);
  if (!result.success) {
    throw new ConfigError(`tokens file ${file}: ${result.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ')} (SWITCHBOARD_TOKENS_FILE)`);
  }
  return result.data.tokens;
}

/** Writes a tokens file readable by its owner only (0600), atomically. */
export function writeTokensFile(file: string, entries: readonly TokenEntry[]): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ tokens: entries }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}
