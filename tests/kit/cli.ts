/**
 * The `switchboard` command as an operator runs it: a child process with its own environment,
 * for tests that drive the system through the CLI alone.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnArgsOf } from '../../hub/supervisor/process-tuning.js';

const ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/switchboard.js');

/** What one run of the command printed and how it exited. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `switchboard <args>` with `env` (on top of nothing else: pass what it needs) and resolves
 * when it exits.
 *
 * @example
 * ```ts
 * const run = await runSwitchboard(['dlq', 'list', '--json'], { ...system.console.cliEnv, SWITCHBOARD_TOKEN: tokens.viewer });
 * expect(run.code).toBe(0);
 * ```
 */
export function runSwitchboard(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, spawnArgsOf(ENTRY, args), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`switchboard ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}
