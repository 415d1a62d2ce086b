#!/usr/bin/env -S node --max-semi-space-size=2
// The `switchboard` command. In production it runs the compiled JavaScript in dist/ (built by
// `npm run build`, which `npm install` runs through `prepare`): no TypeScript loader at run time,
// faster start-up and a smaller resident size. Without dist/, or with SWITCHBOARD_FROM_SOURCE=1
// (development, and the tests, which always exercise the sources), it runs the TypeScript
// sources through tsx. This launcher reads that one variable itself: it decides how the code that
// holds loadConfig is loaded.
// --max-semi-space-size=2 (MB): V8's default young generation grows to 16 MB per semi-space on a
// large machine, which kept a service's RSS above 150 MB under load; with 2 MB the CRM peaked at
// 148 MB while taking 838 orders/s (bench/api-write.bench.ts). The supervisor passes the same
// flag to its children.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = new URL('../dist/hub/cli/main.js', import.meta.url);

/** Newest modification time of the TypeScript sources that dist/ is built from (a few ms of stat calls). */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const folder of ['bin', 'catalogue', 'hub', 'schemas', 'topics', 'services', 'connectors', 'stack']) walk(`${root}${folder}`);
  return newest;
}

let fromSource = process.env.SWITCHBOARD_FROM_SOURCE === '1' || !existsSync(compiled);
if (!fromSource && newestSource() > (statSync(`${root}dist/.built`, { throwIfNoEntry: false })?.mtimeMs ?? 0)) {
  // A stale build would run yesterday's code: run the sources, and say how to rebuild.
  process.stderr.write('switchboard: dist/ is older than the sources, running the sources (run `npm run build` to use the faster compiled code)\n');
  fromSource = true;
}
let runCli;
let systemParts;
if (fromSource) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import('../hub/cli/main.ts'));
  ({ systemParts } = await import('./system-parts.ts'));
} else {
  ({ runCli } = await import(compiled.href));
  ({ systemParts } = await import(new URL('../dist/bin/system-parts.js', import.meta.url).href));
}
await runCli(systemParts);
