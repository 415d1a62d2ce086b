import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { formatChildLine } from './log-line.js';

/** One long-running part of the system, started as `switchboard <args>`. */
export interface ManagedProcess {
  /** Short name, shown in front of every log line. */
  readonly name: string;
  /** Arguments to the `switchboard` command, e.g. `['service', 'crm']`. */
  readonly args: readonly string[];
  /** Resolves when the process is ready to be used (e.g. its HTTP port answers). */
  readonly ready?: () => Promise<boolean>;
  /** What to print once it is ready, e.g. its URL. */
  readonly url?: string;
  /** Ready once the process prints a line matching this (for processes without an HTTP port). */
  readonly readyLine?: RegExp;
  /** Environment of the child; default: this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Node flags for this process only, after CHILD_NODE_FLAGS (e.g. the console's heap limit, or
   * `--cpu-prof`, which NODE_OPTIONS does not allow).
   */
  readonly nodeFlags?: readonly string[];
  /**
   * Variables for this process only, over `env` (e.g. the MALLOC_ARENA_MAX of the console and the services, which the C
   * library reads as the process starts: Node cannot set it for itself).
   */
  readonly envOverrides?: Readonly<Record<string, string>>;
}

/** A started child, for callers that stop or kill single parts (failure tests). */
export interface StartedProcess {
  readonly spec: ManagedProcess;
  readonly child: ChildProcess;
}

const STOP_GRACE_MS = 20000;

/** Node flags of every child; the same the `switchboard` bin's shebang sets (see bin/switchboard.js). */
export const CHILD_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];

/**
 * The console's own Node flags, after CHILD_NODE_FLAGS. `--max-old-space-size=96` (MB): with the
 * 2 MB young generation, most of a catch-up's short-lived records are promoted, and V8 let the old
 * generation grow to 230 MB before a full collection left 50 MB live (console RSS 350 MB over
 * 30 000 orders); capped at 96 MB it collects sooner and the console peaked at 179 MB
 * (bench/COMPARISONS.md). Its live heap does not grow with the tracked orders (they are in SQLite).
 */
export const CONSOLE_NODE_FLAGS: readonly string[] = ['--max-old-space-size=96'];

/**
 * The worker's own Node flags, after CHILD_NODE_FLAGS. `--heap-growing-percent=100`: after each
 * full collection V8 lets the old generation grow to twice what survived; on a small heap its own
 * factor goes up to four. The worker keeps 40–45 MB live at 50–100 orders/s, and V8 let the heap
 * reach 160 MB before collecting: peak RSS 257 MB at 100 orders/s, 170 MB with this flag, for
 * about 5 % of a core more collection (bench/COMPARISONS.md). A soft bound: a larger live set (more
 * connectors, a catch-up) still grows the heap, where `--max-old-space-size` would end the process.
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--heap-growing-percent=100'];

/**
 * The environment of the console and the three services, over the one they are given (glibc's malloc
 * settings, read as the process starts). `MALLOC_ARENA_MAX=2`: glibc gives each thread that allocates (V8's collector and compiler
 * threads, libuv's pool) an arena of its own, up to 8 per core, and memory freed in one is not reused by
 * the others; the console held six beside the main heap during a catch-up (12 MB resident), with two
 * 3 MB: about 5 MB less RSS. `MALLOC_MMAP_THRESHOLD_` and `MALLOC_TRIM_THRESHOLD_` at 128 KB: when the
 * flow starts, the console's native memory rises by about 30 MB for a second or two (its V8 heap and
 * buffers do not); glibc's default raises its mmap threshold after such blocks are freed, so the next
 * ones came from the heap and stayed resident (admin-api bench: 151 MB peak, 149–151 MB to the end);
 * a fixed threshold gives them back (144 MB peak, 116–129 MB after it). The services, under the
 * end-to-end load, peaked at 126–133 MB with glibc's defaults; the CRM taking 1300–1600 orders/s
 * peaked at 111–115 MB with these settings against 125–143 MB without, at the same rate
 * (bench/COMPARISONS.md). The worker is not given them: they saved it 7 of 262 MB.
 */
export const MALLOC_ENV_OVERRIDES: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' };

/**
 * Starts processes in order (each one ready before the next), prefixes their output, and
 * stops them all in reverse order when one dies or when asked (Ctrl-C). A child that exits
 * on its own takes the whole system down: a half-running hub would mislead its operator.
 */
export class Supervisor {
  private readonly children: StartedProcess[] = [];
  private stopping: Promise<void> | undefined;
  private exitCode = 0;

  /**
   * @param entry the `switchboard` entry script
   * @param out where the children's prefixed lines go
   * @param options.stopAllOnExit false for test harnesses that kill parts on purpose
   */
  constructor(
    private readonly entry: string,
    private readonly out: (line: string) => void,
    private readonly options: { stopAllOnExit?: boolean } = {},
  ) {}

  async start(spec: ManagedProcess, timeoutMs = 60000): Promise<StartedProcess> {
    const child = spawn(process.execPath, [...CHILD_NODE_FLAGS, ...(spec.nodeFlags ?? []), this.entry, ...spec.args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...(spec.env ?? process.env), ...spec.envOverrides } });
    const started = { spec, child };
    this.children.push(started);
    let sawReadyLine = false;
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        if (spec.readyLine?.test(line)) sawReadyLine = true;
        this.out(formatChildLine(spec.name, line));
      });
    }
    child.on('exit', (code, signal) => {
      if (this.stopping || this.options.stopAllOnExit === false) return;
      this.out(formatChildLine('supervisor', `${spec.name} exited (${signal ?? `code ${code}`}); stopping everything`));
      this.exitCode = 1;
      void this.stop();
    });
    const ready = spec.ready ?? (spec.readyLine ? async () => sawReadyLine : undefined);
    if (!ready) return started;
    const deadline = Date.now() + timeoutMs;
    while (!(await ready())) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${spec.name} exited before it was ready`);
      if (this.stopping) throw new Error(`${spec.name} stopped before it was ready`);
      if (Date.now() > deadline) throw new Error(`${spec.name} was not ready within ${timeoutMs / 1000} s; see its log lines above`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return started;
  }

  /** Stops one child: SIGTERM (graceful) or SIGKILL (a crash), and waits until it has exited. */
  async stopOne(started: StartedProcess, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const { child } = started;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill(signal);
      await exited;
    }
    const index = this.children.indexOf(started);
    if (index >= 0) this.children.splice(index, 1);
  }

  /** Stops every child, newest first: SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const { spec, child } of [...this.children].reverse()) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          this.out(formatChildLine('supervisor', `${spec.name} did not stop within ${STOP_GRACE_MS / 1000} s; killing it`));
          child.kill('SIGKILL');
        }, STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
    })();
    return this.stopping;
  }

  /** Resolves with the exit code once everything has stopped. */
  async stopped(): Promise<number> {
    await new Promise<void>((resolve) => {
      const check = () => (this.stopping ? this.stopping.then(resolve) : setTimeout(check, 200));
      check();
    });
    return this.exitCode;
  }
}

/** True when an HTTP GET of `url` answers with a status below 500. */
export async function httpAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return response.status < 500;
  } catch {
    return false;
  }
}
