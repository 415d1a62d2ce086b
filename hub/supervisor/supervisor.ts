import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { formatChildLine } from './log-line.js';
import { spawnArgsOf, tunedEnv } from './process-tuning.js';

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
   * More Node flags for this process, after its command's tuning (process-tuning.ts), e.g.
   * `--cpu-prof`, which NODE_OPTIONS does not allow.
   */
  readonly nodeFlags?: readonly string[];
  /**
   * More variables for this process, over `env` and its command's tuning (variables the C library
   * reads as the process starts, which Node cannot set for itself).
   */
  readonly envOverrides?: Readonly<Record<string, string>>;
}

/** A started child, for callers that stop or kill single parts (failure tests). */
export interface StartedProcess {
  readonly spec: ManagedProcess;
  readonly child: ChildProcess;
}

const STOP_GRACE_MS = 20000;

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
    // Every process gets its command's tuning here, so `switchboard up` and the test kit run each one alike.
    const child = spawn(process.execPath, spawnArgsOf(this.entry, spec.args, spec.nodeFlags), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...tunedEnv(spec.args, spec.env ?? process.env), ...spec.envOverrides } });
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
