#!/usr/bin/env -S node --max-semi-space-size=2
// The `switchboard` command. Runs the TypeScript sources directly through tsx, so that
// `npx switchboard` works right after `npm install` with no build step.
// --max-semi-space-size=2 (MB): V8's default young generation grows to 16 MB per semi-space on a
// large machine, which kept a service's RSS above 150 MB under load; with 2 MB the CRM peaked at
// 148 MB while taking 838 orders/s (bench/api-write.bench.ts). The supervisor passes the same
// flag to its children.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../hub/cli/main.ts');
const { systemParts } = await import('./system-parts.ts');
await runCli(systemParts);
