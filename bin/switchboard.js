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
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/hub/cli/main.js', import.meta.url);
const fromSource = process.env.SWITCHBOARD_FROM_SOURCE === '1' || !existsSync(compiled);
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
