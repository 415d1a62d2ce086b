import { Command } from 'commander';
import { isSwitchboardError } from '../errors/index.js';
import { exitCodeOf } from './exit-codes.js';
import type { SystemParts } from './system-parts.js';

/** Adds one command (and its subcommands) to the program. */
type Registration = (program: Command, parts: SystemParts) => void;

/**
 * Every command by name, in the order `switchboard --help` lists them, each loaded only when
 * needed: a long-running process (the console, a service, the worker) then holds only its own
 * command's modules, not every other command's dependencies (4 MB less heap for the console).
 */
const COMMANDS: ReadonlyArray<readonly [string, () => Promise<Registration>]> = [
  ['up', async () => (await import('./commands/up.js')).registerUpCommand],
  ['stack', async () => (await import('./commands/stack.js')).registerStackCommands],
  ['registry', async () => (await import('./commands/registry.js')).registerRegistryCommand],
  ['topics', async () => (await import('./commands/topics.js')).registerTopicsCommands],
  ['schemas', async () => (await import('./commands/schemas.js')).registerSchemasCommands],
  ['errors', async () => (await import('./commands/errors.js')).registerErrorsCommands],
  ['service', async () => (await import('./commands/service.js')).registerServiceCommand],
  ['worker', async () => (await import('./commands/worker.js')).registerWorkerCommand],
  ['cdc', async () => (await import('./commands/cdc.js')).registerCdcCommand],
  ['webhooks', async () => (await import('./commands/webhooks.js')).registerWebhooksCommands],
  ['connector', async () => (await import('./commands/connector.js')).registerConnectorCommands],
  ['console', async () => (await import('./commands/console.js')).registerConsoleCommand],
  ['connectors', async () => (await import('./commands/connectors.js')).registerConnectorsCommands],
  ['dlq', async () => (await import('./commands/dlq.js')).registerDlqCommands],
  ['xref', async () => (await import('./commands/xref.js')).registerXrefCommand],
  ['audit', async () => (await import('./commands/audit.js')).registerAuditCommand],
  ['tokens', async () => (await import('./commands/tokens.js')).registerTokensCommands],
];

/** Runs the `switchboard` command line; `parts` are the services and connectors it can start. */
export async function runCli(parts: SystemParts, argv: readonly string[] = process.argv): Promise<void> {
  // `switchboard topics list | head` closes our stdout early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const program = new Command('switchboard')
    .description('Switchboard: an integration hub connecting CRM, ERP and SCM through Apache Kafka')
    .showHelpAfterError();

  // `switchboard console ...` loads only the console command; anything else (help, a typo) loads all.
  const named = COMMANDS.filter(([name]) => name === argv[2]);
  for (const [, load] of named.length > 0 ? named : COMMANDS) (await load())(program, parts);

  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    // Expected failures (bad config, broker unreachable) get one clear line, not a stack trace.
    if (isSwitchboardError(error)) {
      process.stderr.write(`switchboard: ${error.message} [${error.code}]\n`);
    } else {
      process.stderr.write(`switchboard: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exitCode = exitCodeOf(error);
  }
}
