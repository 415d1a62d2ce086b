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
}

const STOP_GRACE_MS = 20000;

/**
 * Starts processes in order (each one ready before the next), prefixes their output, and
 * stops them all in reverse order when one dies or when asked (Ctrl-C). A child that exits
 * on its own takes the whole system down: a half-running hub would mislead its operator.
 */
export class Supervisor {
  private readonly children: { spec: ManagedProcess; child: ChildProcess }[] = [];
  private stopping: Promise<void> | undefined;
  private exitCode = 0;

  constructor(private readonly entry: string, private readonly out: (line: string) => void) {}

  async start(spec: ManagedProcess, timeoutMs = 60000): Promise<void> {
    const child = spawn(process.execPath, [this.entry, ...spec.args], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    this.children.push({ spec, child });
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => this.out(formatChildLine(spec.name, line)));
    }
    child.on('exit', (code, signal) => {
      if (this.stopping) return;
      this.out(formatChildLine('supervisor', `${spec.name} exited (${signal ?? `code ${code}`}); stopping everything`));
      this.exitCode = 1;
      void this.stop();
    });
    if (!spec.ready) return;
    const deadline = Date.now() + timeoutMs;
    while (!(await spec.ready())) {
      if (this.stopping) throw new Error(`${spec.name} stopped before it was ready`);
      if (Date.now() > deadline) throw new Error(`${spec.name} was not ready within ${timeoutMs / 1000} s; see its log lines above`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
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
