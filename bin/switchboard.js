#!/usr/bin/env -S node --max-semi-space-size=4
// The `switchboard` command. Runs the TypeScript sources directly through tsx, so that
// `npx switchboard` works right after `npm install` with no build step.
// --max-semi-space-size=4 (MB): V8's default young generation grows to 16 MB per semi-space on a
// large machine, which keeps a service's RSS above 150 MB for no gain; 4 MB measured ~125 MB
// under load (see bench/RESULTS.md). The supervisor passes the same flag to its children.
import { register } from 'tsx/esm/api';

register();
await import('../hub/cli/main.ts');
