import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StopTarget } from './stack-types.js';
import { setTimeout as sleep } from 'node:timers/promises';

/** True when a process with this pid exists (signal 0 probes without touching it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a live process (Linux /proc), or undefined where unavailable. */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

/**
 * The pid recorded in `pidFile` if that process still runs and is the one we started: its
 * command line must contain `mark` (pids are reused, and we must never signal a stranger).
 */
export function recordedPid(pidFile: string, mark: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isRunning(pid)) return undefined;
  const cmd = commandLine(pid);
  return cmd === undefined || cmd.includes(mark) ? pid : undefined;
}

/** Who a started process runs as: a system user's ids (root starts PostgreSQL as `postgres`). */
export interface RunAs {
  readonly uid: number;
  readonly gid: number;
  /** Home folder of that user, for the child's HOME. */
  readonly home: string;
}

/**
 * Starts `command` detached from this process (it outlives the CLI), with stdout and stderr
 * appended to `logFile`, and records its pid in `pidFile`. With `runAs` the child itself
 * runs as that user (no `su` in between, so the recorded pid is the server's own).
 */
export function spawnDetached(
  command: string,
  args: readonly string[],
  options: { logFile: string; pidFile: string; cwd: string; runAs?: RunAs; env?: NodeJS.ProcessEnv },
): number {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const fd = openSync(options.logFile, 'a');
  try {
    const identity = options.runAs ? { uid: options.runAs.uid, gid: options.runAs.gid } : {};
    const env = options.runAs ? { ...(options.env ?? process.env), HOME: options.runAs.home } : options.env;
    const child = spawn(command, [...args], { cwd: options.cwd, detached: true, stdio: ['ignore', fd, fd], ...identity, ...(env ? { env } : {}) });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    child.unref();
    writeFileSync(options.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/**
 * Stops a process: `signal` (SIGTERM; PostgreSQL's fast shutdown is SIGINT), wait up to
 * `timeoutMs` for it to exit (Kafka's controlled shutdown takes 5–10 s), then SIGKILL.
 * Resolves to how it ended.
 */
export async function stopProcess(pid: number, timeoutMs: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<'terminated' | 'killed' | 'not-running'> {
  if (!isAlive(pid)) return 'not-running';
  try {
    process.kill(pid, signal);
  } catch {
    return 'not-running';
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid) || isZombie(pid)) return 'terminated';
    await sleep(200);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return 'terminated';
  }
  while (isAlive(pid) && !isZombie(pid)) await sleep(100);
  return 'killed';
}

/** True when the process exists and has not exited (a zombie awaiting its parent counts as exited). */
export function isRunning(pid: number): boolean {
  return isAlive(pid) && !isZombie(pid);
}

// A child of this very process lingers as a zombie until reaped; it has exited all the same.
function isZombie(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Removes a pid file, ignoring one that is already gone. */
export function removePidFile(pidFile: string): void {
  rmSync(pidFile, { force: true });
}

/**
 * Stops the process a StopTarget names (its recorded pid, if the command line still carries
 * the mark), removes the pid file, and says how it ended; undefined when it was not running.
 *
 * @example
 * ```ts
 * await stopTarget(prometheusStopTarget('/tmp/s/prometheus')); // { what: 'prometheus', pid: 4242, how: 'terminated' }
 * ```
 */
export async function stopTarget(
  target: StopTarget,
  timeoutMs = 30_000,
): Promise<{ what: string; pid: number; how: 'terminated' | 'killed' | 'not-running' } | undefined> {
  const pid = recordedPid(target.pidFile, target.mark);
  if (pid === undefined) {
    removePidFile(target.pidFile);
    return undefined;
  }
  const how = await stopProcess(pid, timeoutMs, target.signal);
  removePidFile(target.pidFile);
  return { what: target.what, pid, how };
}
