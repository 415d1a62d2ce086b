/**
 * Helpers of the benchmarks that run Switchboard's own processes: the compiled build they run,
 * the CPU a process used (from /proc), and stopping one.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** CPU seconds (user + system) from a /proc `stat` file; NaN once the process or thread is gone. */
function cpuSecondsIn(statFile: string): number {
  try {
    const stat = readFileSync(statFile, 'utf8');
    // Fields after the command (which may hold spaces) start after the last ')'; utime and stime are the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** CPU seconds (user + system) `pid` has used so far, all its threads, from /proc/<pid>/stat; NaN once it is gone. */
export function cpuSecondsOf(pid: number): number {
  return cpuSecondsIn(`/proc/${pid}/stat`);
}

/** CPU seconds (user + system) of one thread `tid` of `pid` (the main thread's tid is the pid), from /proc/<pid>/task/<tid>/stat. */
export function threadCpuSecondsOf(pid: number, tid: number): number {
  return cpuSecondsIn(`/proc/${pid}/task/${tid}/stat`);
}

/** The whole machine's CPU time so far, in clock ticks (/proc/stat): busy (neither idle nor waiting for I/O) and in all. */
export function machineCpuTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  // Fields 4 and 5 (from 1) are idle and iowait.
  return { busy: total - fields[3] - fields[4], total };
}

/** Newest modification time of the sources dist/ is built from (the folders bin/switchboard.js compares). */
function newestSource(root: string): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(file).mtimeMs);
    }
  };
  for (const folder of ['bin', 'catalogue', 'hub', 'schemas', 'topics', 'services', 'connectors', 'stack']) walk(path.join(root, folder));
  return newest;
}

/**
 * Makes sure dist/ is built from the current sources (`npm run build` otherwise), so that the
 * processes a benchmark starts run the compiled code, as `switchboard up` does in production.
 */
export function ensureBuild(root: string, progress: (line: string) => void): void {
  const built = path.join(root, 'dist', '.built');
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource(root)) return;
  progress('building dist/ (npm run build) ...');
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stdout}\n${result.stderr}`);
}

/** Stops a child process: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 30_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await once(child, 'exit');
  clearTimeout(killer);
}
