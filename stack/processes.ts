import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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

/**
 * Starts `command` detached from this process (it outlives the CLI), with stdout and stderr
 * appended to `logFile`, and records its pid in `pidFile`.
 */
export function spawnDetached(command: string, args: readonly string[], options: { logFile: string; pidFile: string; cwd: string }): number {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const fd = openSync(options.logFile, 'a');
  try {
    const child = spawn(command, [...args], { cwd: options.cwd, detached: true, stdio: ['ignore', fd, fd] });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    child.unref();
    writeFileSync(options.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/**
 * Stops a process: SIGTERM, wait up to `timeoutMs` for it to exit (Kafka's controlled
 * shutdown takes 5–10 s), then SIGKILL. Resolves to how it ended.
 */
export async function stopProcess(pid: number, timeoutMs: number): Promise<'terminated' | 'killed' | 'not-running'> {
  if (!isAlive(pid)) return 'not-running';
  try {
    process.kill(pid, 'SIGTERM');
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
