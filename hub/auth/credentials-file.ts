import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { scopeProblem, type Scope } from './scopes.js';

/**
 * The credentials file (`SWITCHBOARD_CREDENTIALS`): every caller of the systems' APIs, by
 * principal name (a connector's name, or `operator` for people), with its bearer token and its
 * scopes. Callers read their token from it; services verify tokens against it. A file given only
 * to services may hold `tokenSha256` (hex SHA-256 of the token) instead of `token`.
 *
 * ```json
 * { "principals": { "crm-order-to-erp": { "token": "swb_…", "scopes": ["erp:POST /sales-orders"] } } }
 * ```
 */
export interface CredentialsFile {
  readonly principals: Readonly<Record<string, PrincipalEntry>>;
}

/** One principal of the file. */
export interface PrincipalEntry {
  readonly token?: string;
  readonly tokenSha256?: string;
  readonly scopes: readonly Scope[];
}

/** A principal as the composition root declares it: its name and its scopes (tokens are generated). */
export interface PrincipalSpec {
  readonly name: string;
  readonly scopes: readonly Scope[];
}

const TOKEN = /^[A-Za-z0-9._~+/=-]{20,512}$/;

const principalEntry = z
  .object({
    token: z.string().regex(TOKEN, 'a token is 20 to 512 characters of A-Z a-z 0-9 . _ ~ + / = -').optional(),
    tokenSha256: z.string().regex(/^[0-9a-f]{64}$/, 'tokenSha256 is 64 lower-case hex digits').optional(),
    scopes: z.array(z.string().superRefine((scope, ctx) => {
      const problem = scopeProblem(scope);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })),
  })
  .strict()
  .refine((entry) => entry.token !== undefined || entry.tokenSha256 !== undefined, 'a principal needs "token" or "tokenSha256"');

const credentialsFileSchema = z.object({ principals: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'principal names are lower-case words joined by dashes'), principalEntry) }).strict();

/** The credentials file cannot be used; the message says which file and what is wrong with it. */
export class CredentialsFileError extends Error {
  constructor(readonly path: string, problem: string) {
    super(`credentials file ${path}: ${problem}`);
    this.name = 'CredentialsFileError';
  }
}

/** Hex SHA-256 of a token: how services hold and compare tokens. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new random bearer token: `swb_` and 256 random bits, base64url. */
export function newToken(): string {
  return `swb_${randomBytes(32).toString('base64url')}`;
}

/** Parses and checks the text of a credentials file. Never echoes a token in its errors. */
export function parseCredentialsFile(text: string, path: string): CredentialsFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CredentialsFileError(path, 'is not valid JSON');
  }
  const parsed = credentialsFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new CredentialsFileError(path, problems.join('; '));
  }
  return parsed.data;
}

/**
 * Reads and checks a credentials file.
 *
 * @example
 * ```ts
 * const file = readCredentialsFile('.switchboard/credentials/services.json');
 * Object.keys(file.principals); // ['crm-customer-to-erp', ..., 'operator']
 * ```
 */
export function readCredentialsFile(path: string): CredentialsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CredentialsFileError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return parseCredentialsFile(text, path);
}

/**
 * Makes `path` hold a credential for each of `principals`, generating a token only for those
 * that have none yet (tokens survive restarts; scopes follow `principals`). Principals added to
 * the file by hand are kept. The file is written atomically with mode 0600 in a 0700 folder.
 *
 * @example
 * ```ts
 * ensureCredentialsFile('.switchboard/credentials/services.json', [{ name: 'operator', scopes: ['*'] }]);
 * ```
 */
export function ensureCredentialsFile(path: string, principals: readonly PrincipalSpec[]): CredentialsFile {
  const existing = existsSync(path) ? readCredentialsFile(path).principals : {};
  const next: Record<string, PrincipalEntry> = { ...existing };
  for (const principal of principals) {
    const token = existing[principal.name]?.token ?? newToken();
    next[principal.name] = { token, scopes: [...principal.scopes] };
  }
  const file: CredentialsFile = { principals: next };
  writeCredentialsFile(path, file);
  return file;
}

/** Writes a credentials file atomically, mode 0600, creating its folder with mode 0700. */
export function writeCredentialsFile(path: string, file: CredentialsFile): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
