import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { CONNECTOR_SCHEMA_FILE, connectorSchemaIsStale, loadDeclarativeConnector, writeConnectorSchema } from '../../declarative/index.js';
import type { ConnectorDefinition, HttpResponse } from '../../sdk/index.js';
import { dryRun, type XrefLink } from '../connector/dry-run.js';
import { ScaffoldError, scaffoldConnector } from '../connector/scaffold.js';
import type { ConnectorTooling } from '../connector/tooling.js';
import { validateConnectors } from '../connector/validate.js';
import type { SystemParts } from '../system-parts.js';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new ScaffoldError(`${what} ${file}: ${(error as Error).message}`);
  }
}

/** The connector of folder `connectors/<name>/`, loaded from its file (registered or not). */
async function connectorNamed(tooling: ConnectorTooling, name: string): Promise<ConnectorDefinition> {
  const folder = join(tooling.root, 'connectors', name);
  if (existsSync(join(folder, 'connector.yaml'))) return loadDeclarativeConnector(join(folder, 'connector.yaml'));
  if (existsSync(join(folder, 'connector.ts'))) return ((await tooling.importConnector(join(folder, 'connector.ts'))) as { default: ConnectorDefinition }).default;
  throw new ScaffoldError(`no connector ${name}: connectors/${name}/ has neither connector.yaml nor connector.ts`);
}

/**
 * `switchboard connector new | test | validate | schema`: tooling for connector authors.
 *
 * - `new <name> --from <system>.<aggregate> --to <system> [--declarative]` writes the folder
 *   (mapping and unit test), registers it and adds its conformance entry;
 * - `test <name> --event file.json [--xref file.json] [--response file.json]` prints the actions
 *   the mapping would take, with no side effects;
 * - `validate` checks every connector and exits non-zero with the problems;
 * - `schema [--check]` writes (or checks) hub/declarative/connector.schema.json.
 *
 * The step by step is in docs/connector-guide.md.
 */
export function registerConnectorCommands(program: Command, parts: Pick<SystemParts, 'connectors' | 'connectorTooling'>): void {
  const connector = program.command('connector').description('create, try and check connectors (docs/connector-guide.md)');
  const tooling = parts.connectorTooling;

  connector
    .command('new <name>')
    .description('create connectors/<name>/ (mapping and unit test), register it and add its conformance entry')
    .requiredOption('--from <system.aggregate>', 'the source: a catalogue topic as <system>.<aggregate>, e.g. crm.customer')
    .requiredOption('--to <system>', 'the target system: crm, erp or scm')
    .option('--declarative', 'write the mapping as connector.yaml (YAML and JSONata) instead of connector.ts')
    .action((name: string, flags: { from: string; to: string; declarative?: boolean }) => {
      const written = scaffoldConnector(tooling.root, { name, from: flags.from, to: flags.to, declarative: flags.declarative === true });
      for (const file of written) out(`wrote ${file}`);
      out(`next: edit the mapping, then \`npm run test:unit -- connectors/${name}\` and \`switchboard connector validate\``);
    });

  connector
    .command('test <name>')
    .description('print the actions the mapping would take for one event (JSON), with no side effects')
    .requiredOption('--event <file>', 'the event as JSON: { "type": ..., "value": ... }, or the value alone when the connector handles one event type')
    .option('--xref <file>', 'cross-references the mapping may read, as JSON: [{ "kind": "customer", "ids": { "crm": "C-1", "erp": "100045" } }]')
    .option('--response <file>', 'an answer of the target, as JSON { "status": 201, "body": {...} }: shows how it is judged and what follows it')
    .action(async (name: string, flags: { event: string; xref?: string; response?: string }) => {
      const definition = await connectorNamed(tooling, name);
      const xrefs = flags.xref ? (readJson(flags.xref, '--xref') as XrefLink[]) : [];
      const response = flags.response ? (readJson(flags.response, '--response') as HttpResponse) : undefined;
      const { ok, output } = await dryRun(definition, readJson(flags.event, '--event'), xrefs, response);
      out(JSON.stringify(output, null, 2));
      if (!ok) process.exitCode = 1;
    });

  connector
    .command('validate')
    .description('check every connector: YAML against its schema, TypeScript definitions load, registration and conformance entry')
    .action(async () => {
      const { connectors, problems } = await validateConnectors(tooling, () => parts.connectors());
      for (const problem of problems) out(problem);
      out(`${connectors.length} connector(s), ${problems.length === 0 ? 'no problems' : `${problems.length} problem(s)`}`);
      if (problems.length > 0) process.exitCode = 1;
    });

  connector
    .command('schema')
    .description('write hub/declarative/connector.schema.json (the JSON Schema of connector.yaml) from the catalogue')
    .option('--check', 'do not write; fail when the file is stale')
    .action((flags: { check?: boolean }) => {
      const file = relative(process.cwd(), CONNECTOR_SCHEMA_FILE);
      if (!flags.check) return out(`wrote ${relative(process.cwd(), writeConnectorSchema())}`);
      if (!connectorSchemaIsStale()) return out(`${file} is up to date`);
      out(`${file} is stale: run \`switchboard connector schema\``);
      process.exitCode = 1;
    });
}
