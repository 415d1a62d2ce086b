// Shared by the jest global setup and teardown: runs `switchboard stack ...` as a child
// process (the stack code is TypeScript run through tsx; jest's own loader is not used here).
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Runs `node bin/switchboard.js stack <args>`; progress (stderr) goes to this process's
 * stderr. Returns stdout, or throws with the exit code when the command failed.
 * @param {string[]} args
 * @returns {string}
 */
export function runStack(args) {
  const result = spawnSync(process.execPath, ['bin/switchboard.js', 'stack', ...args], {
    cwd: REPO_ROOT,
    env: process.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`\`switchboard stack ${args.join(' ')}\` failed (exit ${result.status}).\n${result.stdout ?? ''}`);
  }
  return result.stdout;
}
