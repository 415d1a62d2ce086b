import { relative } from 'node:path';
import type { Command } from 'commander';
import { ERRORS_DOC_FILE, errorsDocIsStale, writeErrorsDoc } from '../../errors/errors-doc.js';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/**
 * `switchboard errors doc [--check]`: writes docs/errors.md from the error catalogue, or
 * with `--check` fails when it is stale.
 */
export function registerErrorsCommands(program: Command): void {
  const errors = program.command('errors').description('the error catalogue (hub/errors/codes/)');

  errors
    .command('doc')
    .description('write docs/errors.md from the error catalogue')
    .option('--check', 'do not write; fail when docs/errors.md is stale')
    .action((options: { check?: boolean }) => {
      const file = relative(process.cwd(), ERRORS_DOC_FILE);
      if (options.check) {
        if (errorsDocIsStale()) {
          out(`${file} is stale: run \`switchboard errors doc\``);
          process.exitCode = 1;
        } else {
          out(`${file} is up to date`);
        }
        return;
      }
      out(`wrote ${relative(process.cwd(), writeErrorsDoc())}`);
    });
}
