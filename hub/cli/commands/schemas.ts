import { relative } from 'node:path';
import type { Command } from 'commander';
import { schemaCatalog } from '../../../schemas/schema-catalog.js';
import type { EventSchema } from '../../../schemas/schema-catalog.js';
import { staleGeneratedFiles, writeGeneratedFiles } from '../../schema/codegen.js';
import { SchemaNotFoundError, SchemaRegistryClient } from '../../schema/client/index.js';

/** The result of checking one event schema against the registry. */
export interface SchemaCheckResult {
  readonly subject: string;
  /** `new`: the subject is not registered yet; `compatible`; `incompatible` (see messages). */
  readonly status: 'new' | 'compatible' | 'incompatible';
  readonly messages: readonly string[];
}

/**
 * Checks every event schema of `schemas/` against the latest registered version of its subject,
 * under the subject's compatibility level (BACKWARD_TRANSITIVE by default). The registry's
 * verbose messages name the field and the rule a change breaks.
 */
export async function checkSchemas(
  registry: Pick<SchemaRegistryClient, 'checkCompatibility'>,
  events: readonly EventSchema[],
  prefix = '',
): Promise<SchemaCheckResult[]> {
  const results: SchemaCheckResult[] = [];
  for (const event of events) {
    const subject = event.subject(prefix);
    try {
      const { compatible, messages } = await registry.checkCompatibility(subject, event.canonical);
      results.push({ subject, status: compatible ? 'compatible' : 'incompatible', messages });
    } catch (error) {
      // No subject (40401) or no live version left (40402): the schema is new, nothing to break.
      if (error instanceof SchemaNotFoundError && error.registryErrorCode !== 40403) {
        results.push({ subject, status: 'new', messages: [] });
      } else {
        throw error;
      }
    }
  }
  return results;
}

function registryFrom(options: { registry?: string }): SchemaRegistryClient {
  return options.registry ? new SchemaRegistryClient({ url: options.registry }) : SchemaRegistryClient.fromEnv();
}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** `switchboard schemas check | register | codegen`. */
export function registerSchemasCommands(program: Command): void {
  const schemas = program.command('schemas').description('the Avro schemas of every event (schemas/)');

  schemas
    .command('check')
    .description('check every schema in schemas/ against the registry; fails naming the subject, field and rule a change breaks')
    .option('--registry <url>', 'registry URL (default: $SCHEMA_REGISTRY_URL or http://127.0.0.1:8081)')
    .option('--prefix <prefix>', 'topic prefix of the subjects (test isolation)', '')
    .action(async (options: { registry?: string; prefix: string }) => {
      const registry = registryFrom(options);
      const results = await checkSchemas(registry, schemaCatalog().events, options.prefix);
      for (const result of results) {
        if (result.status === 'incompatible') {
          out(`FAIL ${result.subject}: incompatible with the registered version`);
          for (const message of result.messages) out(`       ${message}`);
        } else {
          out(`${result.status === 'new' ? 'new ' : 'ok  '} ${result.subject}`);
        }
      }
      const failed = results.filter((result) => result.status === 'incompatible').length;
      out(`${results.length} schemas checked against ${registry.url}: ${failed} incompatible`);
      if (failed > 0) process.exitCode = 1;
    });

  schemas
    .command('register')
    .description('register every schema in schemas/ (an unchanged schema keeps its id; an incompatible one is refused)')
    .option('--registry <url>', 'registry URL (default: $SCHEMA_REGISTRY_URL or http://127.0.0.1:8081)')
    .option('--prefix <prefix>', 'topic prefix of the subjects (test isolation)', '')
    .action(async (options: { registry?: string; prefix: string }) => {
      const registry = registryFrom(options);
      for (const event of schemaCatalog().events) {
        const subject = event.subject(options.prefix);
        out(`${String(await registry.register(subject, event.canonical)).padStart(5)} ${subject}`);
      }
    });

  schemas
    .command('codegen')
    .description('generate the typed catalogue (catalogue/generated/) from topics/ and schemas/')
    .option('--check', 'do not write; fail when a generated file is stale')
    .action((options: { check?: boolean }) => {
      if (options.check) {
        const stale = staleGeneratedFiles();
        for (const file of stale) out(`${relative(process.cwd(), file)} is stale: run \`switchboard schemas codegen\``);
        if (stale.length > 0) process.exitCode = 1;
        else out('catalogue/generated/ is up to date');
        return;
      }
      for (const file of writeGeneratedFiles()) out(`wrote ${relative(process.cwd(), file)}`);
    });
}
