import type { Command } from 'commander';
import { AdminClient, loadAdminClientConfig } from './admin-client.js';

/** The options every command on the admin API takes. */
export interface AdminFlags {
  readonly token?: string;
  readonly json?: boolean;
}

/**
 * Adds `--token` and `--json` to a command that calls the admin API.
 *
 * @example
 * ```ts
 * withAdminOptions(program.command('xref <id>')).action(async (id, flags: AdminFlags) => { ... });
 * ```
 */
export function withAdminOptions(command: Command): Command {
  return command
    .option('--token <token>', 'bearer token (default: SWITCHBOARD_TOKEN, else the file switchboard up wrote)')
    .option('--json', 'print the API\'s JSON answer instead of a table');
}

/** A client for the admin API at SWITCHBOARD_ADMIN_URL with the token the flags or environment give. */
export function adminClient(flags: AdminFlags): AdminClient {
  return new AdminClient(loadAdminClientConfig(process.env, flags.token));
}

/** Prints `data` as JSON with `--json`, else what `render` makes of it. */
export function print<T>(flags: AdminFlags, data: T, render: (data: T) => string): void {
  process.stdout.write(flags.json ? `${JSON.stringify(data, null, 2)}\n` : render(data));
}

/** A wrong combination of options: says so on stderr and exits with 1 (commander handles single options itself). */
export function usageError(message: string): void {
  process.stderr.write(`switchboard: ${message}\n`);
  process.exitCode = 1;
}
