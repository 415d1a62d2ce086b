// Jest global teardown of the integration project: stop only what the global setup started
// (nothing, when the stack was already running), so the machine is left as it was found.
import { STARTED_KEY } from './global-setup.js';
import { runStack } from './stack-cli.js';

export default async function globalTeardown() {
  /** @type {string[] | undefined} */
  const started = globalThis[STARTED_KEY];
  if (!started || started.length === 0) return;
  process.stderr.write(`\nStopping what the integration tests started (${started.join(', ')}) ...\n`);
  runStack(['down', ...started.flatMap((part) => ['--only', part])]);
  globalThis[STARTED_KEY] = [];
}
