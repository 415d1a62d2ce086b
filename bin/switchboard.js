#!/usr/bin/env node
// The `switchboard` command. Runs the TypeScript sources directly through tsx, so that
// `npx switchboard` works right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../hub/cli/main.ts');
