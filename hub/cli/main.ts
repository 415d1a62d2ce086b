import { Command } from 'commander';
import { isSwitchboardError } from '../errors/index.js';
import { registerCdcCommand } from './commands/cdc.js';
import { registerConnectorCommands } from './commands/connector.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerConnectorsCommands } from './commands/connectors.js';
import { registerConsoleCommand } from './commands/console.js';
import { registerDlqCommands } from './commands/dlq.js';
import { registerErrorsCommands } from './commands/errors.js';
import { registerStackCommands } from './commands/stack.js';
import { registerRegistryCommand } from './commands/registry.js';
import { registerSchemasCommands } from './commands/schemas.js';
import { registerTopicsCommands } from './commands/topics.js';
import { registerUpCommand } from './commands/up.js';
import { registerServiceCommand } from './commands/service.js';
import { registerTokensCommands } from './commands/tokens.js';
import { registerWebhooksCommands } from './commands/webhooks.js';
import { registerWorkerCommand } from './commands/worker.js';
import { registerXrefCommand } from './commands/xref.js';
import { exitCodeOf } from './exit-codes.js';
import type { SystemParts } from './system-parts.js';

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

  registerUpCommand(program, parts);
  registerStackCommands(program);
  registerRegistryCommand(program);
  registerTopicsCommands(program);
  registerSchemasCommands(program);
  registerErrorsCommands(program);
  registerServiceCommand(program, parts);
  registerWorkerCommand(program, parts);
  registerCdcCommand(program);
  registerWebhooksCommands(program);
  registerConnectorCommands(program, parts);
  registerConsoleCommand(program, parts);
  registerConnectorsCommands(program);
  registerDlqCommands(program);
  registerXrefCommand(program);
  registerAuditCommand(program);
  registerTokensCommands(program);

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
