import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatProblem, readDeclarativeConnector } from '../../declarative/index.js';
import { ConnectorDefinitionError, type ConnectorDefinition } from '../../sdk/index.js';
import type { ConnectorTooling } from './tooling.js';

/** What `connector validate` found. */
export interface ValidationReport {
  /** Connector folders looked at. */
  readonly connectors: readonly string[];
  /** One line each, `file:line:column path: message` where a line is known. */
  readonly problems: readonly string[];
}

function describeError(error: unknown): string[] {
  if (error instanceof ConnectorDefinitionError) return [...error.problems];
  return [error instanceof Error ? error.message.split('\n')[0] as string : String(error)];
}

/** The TypeScript connector in `file`, or the problems of loading it. */
async function loadTypeScript(tooling: ConnectorTooling, file: string, shown: string): Promise<{ definition?: ConnectorDefinition; problems: string[] }> {
  try {
    const module = (await tooling.importConnector(file)) as { default?: Partial<ConnectorDefinition> };
    const definition = module.default;
    if (typeof definition?.name !== 'string' || typeof definition.map !== 'function') return { problems: [`${shown}: has no \`export default defineConnector({...})\``] };
    return { definition: definition as ConnectorDefinition, problems: [] };
  } catch (error) {
    return { problems: describeError(error).map((problem) => `${shown}: ${problem}`) };
  }
}

/**
 * `switchboard connector validate`: checks every folder of `connectors/`: a YAML connector
 * against its schema and rules (each problem at its line), a TypeScript one by loading it
 * (defineConnector's checks), the folder's name against the connector's, its registration in
 * connectors/index.ts (which must load) and its entry in the conformance table.
 *
 * @example
 * ```ts
 * const { problems } = await validateConnectors(tooling, () => parts.connectors());
 * ```
 */
export async function validateConnectors(tooling: ConnectorTooling, registry: () => Promise<readonly ConnectorDefinition[]>): Promise<ValidationReport> {
  const dir = join(tooling.root, 'connectors');
  const folders = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const problems: string[] = [];
  for (const folder of folders) {
    const yaml = join(dir, folder, 'connector.yaml');
    const ts = join(dir, folder, 'connector.ts');
    const shown = (file: string) => `connectors/${folder}/${file}`;
    if (existsSync(yaml) && existsSync(ts)) problems.push(`connectors/${folder}: has both connector.yaml and connector.ts; keep one`);
    if (existsSync(yaml)) {
      problems.push(...readDeclarativeConnector(yaml).problems.map((problem) => formatProblem({ ...problem, file: shown('connector.yaml') })));
    } else if (existsSync(ts)) {
      const { definition, problems: found } = await loadTypeScript(tooling, ts, shown('connector.ts'));
      problems.push(...found);
      if (definition && definition.name !== folder) problems.push(`${shown('connector.ts')}: the connector is named ${definition.name}, the folder ${folder}`);
    } else {
      problems.push(`connectors/${folder}: has neither connector.yaml nor connector.ts`);
    }
  }

  let registered: readonly string[] = [];
  try {
    registered = (await registry()).map((definition) => definition.name);
  } catch (error) {
    problems.push(...describeError(error).map((problem) => `connectors/index.ts does not load: ${problem}`));
  }
  let fixtures: readonly string[] = [];
  try {
    fixtures = await tooling.conformanceNames();
  } catch (error) {
    problems.push(...describeError(error).map((problem) => `connectors/conformance-fixtures.ts does not load: ${problem}`));
  }
  for (const folder of folders) {
    if (registered.length > 0 && !registered.includes(folder)) problems.push(`connectors/${folder}: not registered in connectors/index.ts`);
    if (fixtures.length > 0 && !fixtures.includes(folder)) problems.push(`connectors/${folder}: no entry in connectors/conformance-fixtures.ts`);
  }
  for (const name of fixtures) {
    if (!folders.includes(name)) problems.push(`connectors/conformance-fixtures.ts: an entry for ${name}, which has no folder`);
  }
  return { connectors: folders, problems };
}
