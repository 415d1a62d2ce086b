/**
 * Toxiproxy, a TCP proxy that injects faults (latency, resets, timeouts) for failure tests.
 * Built once from its Go module with the machine's Go into `~/.cache/switchboard/bin/`, then
 * started detached like the stack's other servers. Nothing of it is committed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from './kafka-artifacts.js';
import { ensureCommand } from './prerequisites.js';
import { httpAnswers, portAnswers, waitFor } from './probes.js';
import { isRunning, recordedPid, spawnDetached, stopTarget } from './processes.js';
import { StackDownloadError, StackStartError } from './stack-errors.js';
import type { ExtraStatus, ExtraUpState, Started, StopTarget } from './stack-types.js';

/** The Toxiproxy module and release built (the newest v2 the Go module proxy serves). */
export const TOXIPROXY_MODULE = 'github.com/Shopify/toxiproxy/v2';
export const TOXIPROXY_VERSION = 'v2.12.0';

const START_TIMEOUT_MS = 30_000;

/** Where the built server lives: `<cache>/bin/toxiproxy-server-<version>`. */
export function toxiproxyBinary(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), 'bin', `toxiproxy-server-${TOXIPROXY_VERSION}`);
}

/**
 * The Toxiproxy server binary, built the first time with `go install` (about 2 minutes on
 * two cores). The checksum database is skipped for this one module only (`GONOSUMDB`): here it
 * does not answer, and the module's own go.sum still pins every dependency.
 *
 * @example
 * ```ts
 * const server = ensureToxiproxy(console.error); // ~/.cache/switchboard/bin/toxiproxy-server-v2.12.0
 * ```
 * @throws StackPrerequisiteError without Go, StackDownloadError when the build fails.
 */
export function ensureToxiproxy(progress: (line: string) => void = () => undefined, env: NodeJS.ProcessEnv = process.env): string {
  const binary = toxiproxyBinary(env);
  if (existsSync(binary)) return binary;
  ensureCommand('go', 'golang-go', 'Building Toxiproxy', progress);
  progress(`Building Toxiproxy ${TOXIPROXY_VERSION} with Go into ${binary} (once; about 2 minutes) ...`);
  const gobin = join(cacheRoot(env), 'bin', `.toxiproxy-build-${process.pid}`);
  rmSync(gobin, { recursive: true, force: true });
  mkdirSync(gobin, { recursive: true });
  try {
    // The release stamps its version with -ldflags; without it /version would answer "git".
    const ldflags = `-ldflags=-X ${TOXIPROXY_MODULE}.Version=${TOXIPROXY_VERSION.replace(/^v/, '')}`;
    const result = spawnSync('go', ['install', ldflags, `${TOXIPROXY_MODULE}/cmd/server@${TOXIPROXY_VERSION}`], {
      encoding: 'utf8',
      env: { ...env, GOBIN: gobin, GONOSUMDB: 'github.com/Shopify/toxiproxy', GOFLAGS: '-buildvcs=false' },
      maxBuffer: 16 * 1024 * 1024,
    });
    if (result.status !== 0 || !existsSync(join(gobin, 'server'))) {
      const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
      throw new StackDownloadError(`go install ${TOXIPROXY_MODULE}/cmd/server@${TOXIPROXY_VERSION} failed (exit ${result.status ?? 'none'}). Is the Go module proxy reachable?\n${output}`, result.error);
    }
    renameSync(join(gobin, 'server'), binary);
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
  return binary;
}

/** Where one Toxiproxy server lives and where its HTTP API listens. */
export interface ToxiproxyPlace {
  /** Folder of its log and pid file, e.g. `<stack dir>/toxiproxy`. */
  readonly dir: string;
  readonly port: number;
}

const files = (dir: string) => ({ logFile: join(dir, 'toxiproxy.log'), pidFile: join(dir, 'toxiproxy.pid') });
const urlOf = (port: number): string => `http://127.0.0.1:${port}`;
const pidOf = (dir: string): number | undefined => recordedPid(files(dir).pidFile, `toxiproxy-server-${TOXIPROXY_VERSION}`);

const ready = (port: number): Promise<boolean> => httpAnswers(port, `${urlOf(port)}/version`);

/**
 * Starts a Toxiproxy server (API on 127.0.0.1:`port`) unless the one started from `dir` runs,
 * and waits until its API answers. Drive it with `ToxiproxyClient`.
 *
 * @example
 * ```ts
 * const toxi = await startToxiproxy({ dir: '/tmp/t', port: 18474 });
 * const client = new ToxiproxyClient(toxi.url);
 * await stopToxiproxy('/tmp/t');
 * ```
 */
export async function startToxiproxy(place: ToxiproxyPlace, progress: (line: string) => void = () => undefined, started: Started[] = []): Promise<ExtraUpState> {
  const { logFile, pidFile } = files(place.dir);
  const url = urlOf(place.port);
  const existing = pidOf(place.dir);
  if (existing !== undefined) return { action: 'already-running', url, pid: existing, logFile };
  const binary = ensureToxiproxy(progress);
  if (await portAnswers(place.port)) {
    throw new StackStartError(`Cannot start Toxiproxy: port 127.0.0.1:${place.port} is taken by another process. Choose another (SWITCHBOARD_TOXIPROXY_PORT / --toxiproxy-port).`);
  }
  mkdirSync(place.dir, { recursive: true });
  progress(`Starting Toxiproxy (API ${url}) ...`);
  const pid = spawnDetached(binary, ['-host', '127.0.0.1', '-port', String(place.port)], { logFile, pidFile, cwd: place.dir });
  started.push({ pid, pidFile });
  if (!(await waitFor(() => ready(place.port), { timeoutMs: START_TIMEOUT_MS, intervalMs: 200, stillRunning: () => isRunning(pid) }))) {
    throw new StackStartError(`Toxiproxy on ${url} ${isRunning(pid) ? 'did not answer in time' : 'exited'}; see ${logFile}`);
  }
  return { action: 'started', url, pid, logFile };
}

/** Whether the Toxiproxy API answers, and the pid `up` recorded. */
export async function toxiproxyStatus(place: ToxiproxyPlace): Promise<ExtraStatus> {
  return { url: urlOf(place.port), answering: await ready(place.port), pid: pidOf(place.dir), logFile: files(place.dir).logFile };
}

/** What `down` (or `stopToxiproxy`) stops: the server started from `dir`. */
export function toxiproxyStopTarget(dir: string): StopTarget {
  return { what: 'toxiproxy', pidFile: files(dir).pidFile, mark: `toxiproxy-server-${TOXIPROXY_VERSION}` };
}

/** Stops the Toxiproxy server started from `dir`; resolves to its pid, or undefined when none ran. */
export async function stopToxiproxy(dir: string): Promise<number | undefined> {
  return (await stopTarget(toxiproxyStopTarget(dir)))?.pid;
}
