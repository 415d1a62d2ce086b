/**
 * `stack up --with postgres`: Debian's PostgreSQL, its own cluster in `<stack dir>/postgres`,
 * started detached and stopped by the pid `up` recorded. Running as root, initdb and the
 * server run as the `postgres` system user (they refuse root), which owns the data folder.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { initdbArgs, pgHbaConf, postgresArgs, postgresUrl, POSTGRES_DATABASE, POSTGRES_PASSWORD, POSTGRES_ROLE } from './postgres-config.js';
import { ensureFound, isRoot } from './prerequisites.js';
import { portAnswers, waitFor } from './probes.js';
import { isRunning, recordedPid, spawnDetached, type RunAs } from './processes.js';
import { StackPrerequisiteError, StackStartError } from './stack-errors.js';
import type { ExtraStatus, ExtraUpState, Started, StopTarget } from './stack-types.js';

const execFileAsync = promisify(execFile);
const START_TIMEOUT_MS = 60_000;

/** Where one local PostgreSQL lives and listens. */
export interface PostgresPlace {
  /** `<stack dir>/postgres`. */
  readonly dir: string;
  readonly port: number;
}

const files = (dir: string) => ({
  data: join(dir, 'data'),
  logFile: join(dir, 'postgres.log'),
  pidFile: join(dir, 'postgres.pid'),
  pwFile: join(dir, 'initdb.pw'),
});

/**
 * The bin folder of the newest Debian PostgreSQL (`/usr/lib/postgresql/<version>/bin`), or
 * undefined when none is installed.
 */
export function findPostgresBinDir(root = '/usr/lib/postgresql'): string | undefined {
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((entry) => /^\d+(\.\d+)?$/.test(entry) && existsSync(join(root, entry, 'bin', 'postgres')) && existsSync(join(root, entry, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], 'bin') : undefined;
}

function userIds(name: string): RunAs | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  const home = spawnSync('sh', ['-c', 'getent passwd "$1" | cut -d: -f6', 'sh', name], { encoding: 'utf8' }).stdout.trim();
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), home: home || '/' };
}

/**
 * Who runs initdb and the server: nobody special for an ordinary user; as root the `postgres`
 * system user Debian's package creates (or, when it is missing, a dedicated `switchboard-pg`).
 */
export function postgresRunAs(): RunAs | undefined {
  if (!isRoot()) return undefined;
  const existing = userIds('postgres') ?? userIds('switchboard-pg');
  if (existing) return existing;
  const created = spawnSync('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'switchboard-pg'], { encoding: 'utf8' });
  const made = userIds('switchboard-pg');
  if (created.status !== 0 || !made) throw new StackPrerequisiteError(`PostgreSQL refuses to run as root and no \`postgres\` user exists; creating \`switchboard-pg\` failed: ${created.stderr}`);
  return made;
}

/** The first folder on the way to `dir` that `runAs` cannot enter, or undefined when all can be. */
function unreachableAncestor(dir: string, runAs: RunAs): string | undefined {
  const chain: string[] = [];
  for (let current = dir; ; current = dirname(current)) {
    chain.unshift(current);
    if (dirname(current) === current) break;
  }
  return chain.find((folder) => spawnSync('test', ['-x', folder], { uid: runAs.uid, gid: runAs.gid }).status !== 0);
}

function owned(path: string, runAs: RunAs | undefined, mode: number): void {
  if (runAs) chownSync(path, runAs.uid, runAs.gid);
  chmodSync(path, mode);
}

function runSync(executable: string, args: string[], runAs: RunAs | undefined, cwd: string): { ok: boolean; output: string } {
  const result = spawnSync(executable, args, {
    cwd,
    encoding: 'utf8',
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid, env: { ...process.env, HOME: runAs.home } } : {}),
  });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

function initCluster(binDir: string, dir: string, runAs: RunAs | undefined, progress: (line: string) => void): void {
  const { data, pwFile } = files(dir);
  progress(`Creating a PostgreSQL cluster in ${data} (initdb) ...`);
  rmSync(data, { recursive: true, force: true });
  mkdirSync(data, { recursive: true });
  owned(data, runAs, 0o700);
  writeFileSync(pwFile, `${POSTGRES_PASSWORD}\n`, { mode: 0o600 });
  owned(pwFile, runAs, 0o600);
  try {
    const result = runSync(join(binDir, 'initdb'), initdbArgs(data, pwFile), runAs, dir);
    if (!result.ok) throw new StackStartError(`initdb in ${data} failed:\n${result.output.trim().split('\n').slice(-10).join('\n')}`);
  } finally {
    rmSync(pwFile, { force: true });
  }
}

async function pgIsReady(binDir: string, port: number): Promise<boolean> {
  if (!(await portAnswers(port))) return false;
  try {
    await execFileAsync(join(binDir, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', POSTGRES_ROLE, '-d', 'postgres', '-t', '2']);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs one SQL statement as the `switchboard` superuser over loopback TCP with psql; resolves
 * to psql's unaligned, tuples-only output.
 *
 * @example
 * ```ts
 * await postgresQuery({ dir, port: 5432 }, 'SHOW wal_level', 'switchboard'); // 'logical'
 * ```
 */
export async function postgresQuery(place: PostgresPlace, sql: string, database = POSTGRES_DATABASE): Promise<string> {
  const binDir = findPostgresBinDir();
  if (!binDir) throw new StackPrerequisiteError('PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin).');
  const { stdout } = await execFileAsync(
    join(binDir, 'psql'),
    ['-h', '127.0.0.1', '-p', String(place.port), '-U', POSTGRES_ROLE, '-d', database, '-v', 'ON_ERROR_STOP=1', '-X', '-tAc', sql],
    { env: { ...process.env, PGPASSWORD: POSTGRES_PASSWORD, PGCONNECT_TIMEOUT: '5' } },
  );
  return stdout.trim();
}

async function ensureDatabase(place: PostgresPlace): Promise<void> {
  const exists = await postgresQuery(place, `SELECT 1 FROM pg_database WHERE datname = '${POSTGRES_DATABASE}'`, 'postgres');
  if (exists !== '1') await postgresQuery(place, `CREATE DATABASE ${POSTGRES_DATABASE} OWNER ${POSTGRES_ROLE}`, 'postgres');
}

const pidOf = (dir: string): number | undefined => recordedPid(files(dir).pidFile, files(dir).data);

/**
 * Starts the local PostgreSQL unless it already runs, creating the cluster (initdb) and the
 * `switchboard` database the first time, and waits until it accepts connections. Installs
 * Debian's `postgresql` when missing and running as root.
 *
 * @example
 * ```ts
 * const pg = await startPostgres({ dir: '/tmp/s/postgres', port: 15432 }, console.error, []);
 * pg.url; // 'postgres://switchboard:switchboard@127.0.0.1:15432/switchboard'
 * ```
 * @throws StackPrerequisiteError when PostgreSQL is missing, StackStartError when it does not start.
 */
export async function startPostgres(place: PostgresPlace, progress: (line: string) => void, started: Started[]): Promise<ExtraUpState> {
  const { data, logFile, pidFile } = files(place.dir);
  const url = postgresUrl(place.port);
  const binDir = ensureFound(findPostgresBinDir, 'postgresql', 'PostgreSQL (/usr/lib/postgresql/<version>/bin) is not installed.', progress);
  const existing = pidOf(place.dir);
  if (existing !== undefined) return { action: 'already-running', url, pid: existing, logFile };
  if (await portAnswers(place.port)) {
    throw new StackStartError(`Cannot start PostgreSQL: port 127.0.0.1:${place.port} is taken by another process. Choose another (SWITCHBOARD_POSTGRES_PORT / --postgres-port).`);
  }
  const runAs = postgresRunAs();
  mkdirSync(place.dir, { recursive: true });
  chmodSync(place.dir, 0o755);
  const blocked = runAs ? unreachableAncestor(place.dir, runAs) : undefined;
  if (blocked) {
    throw new StackStartError(`PostgreSQL runs as uid ${runAs?.uid} (it refuses root), which cannot enter ${blocked}. Use a state folder it can reach (--dir / SWITCHBOARD_STACK_DIR), or \`chmod o+x ${blocked}\`.`);
  }
  if (!existsSync(join(data, 'PG_VERSION'))) initCluster(binDir, place.dir, runAs, progress);
  writeFileSync(join(data, 'pg_hba.conf'), pgHbaConf());
  owned(join(data, 'pg_hba.conf'), runAs, 0o600);

  progress(`Starting PostgreSQL on 127.0.0.1:${place.port} ...`);
  const pid = spawnDetached(join(binDir, 'postgres'), postgresArgs(place.port, data), { logFile, pidFile, cwd: place.dir, ...(runAs ? { runAs } : {}) });
  started.push({ pid, pidFile, signal: 'SIGINT' });
  const ready = await waitFor(() => pgIsReady(binDir, place.port), { timeoutMs: START_TIMEOUT_MS, intervalMs: 300, stillRunning: () => isRunning(pid) });
  if (!ready) throw new StackStartError(`PostgreSQL on 127.0.0.1:${place.port} ${isRunning(pid) ? 'did not accept connections in time' : 'exited'}; see ${logFile}`);
  await ensureDatabase(place);
  return { action: 'started', url, pid, logFile };
}

/** Whether the local PostgreSQL accepts connections, and the pid `up` recorded. */
export async function postgresStatus(place: PostgresPlace): Promise<ExtraStatus> {
  const binDir = findPostgresBinDir();
  return {
    url: postgresUrl(place.port),
    answering: binDir !== undefined && (await pgIsReady(binDir, place.port)),
    pid: pidOf(place.dir),
    logFile: files(place.dir).logFile,
  };
}

/** What `down` stops: the server `up` started, with a fast shutdown (SIGINT: sessions are ended, not waited for). */
export function postgresStopTarget(dir: string): StopTarget {
  return { what: 'postgres', pidFile: files(dir).pidFile, mark: files(dir).data, signal: 'SIGINT' };
}
