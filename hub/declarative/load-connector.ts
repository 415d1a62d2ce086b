import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

import { PROJECT_ROOT } from '../config/project-root.js';
import { ConnectorDefinitionError, defineConnector, type ConnectorDefinition, type ConnectorTarget, type EventFullName, type SourceEventName, type SystemName, type TargetAuth } from '../sdk/index.js';
import { MappingCompiler } from './compile-mapping.js';
import type { ConnectorFileSpec, TargetSpec } from './connector-file.js';
import { connectorJsonSchema } from './connector-schema.js';
import { SourceFile, formatProblem, schemaProblems, type DocumentPath, type Problem } from './source-file.js';

/** What reading one connector file gave: its definition, or the problems that stop it. */
export interface DeclarativeRead {
  /** The file as problems name it: relative to the working directory when below it. */
  readonly file: string;
  /** The text read (the hot reload compares it to skip unchanged saves). */
  readonly text: string;
  readonly definition: ConnectorDefinition | undefined;
  readonly problems: readonly Problem[];
}

/** Which file each loaded definition came from (for the hot reload), without keeping definitions alive. */
const SOURCES = new WeakMap<ConnectorDefinition, string>();

let validator: ValidateFunction | undefined;

/** The schema validator, compiled on first use (once per process). */
function validate(data: unknown): readonly ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(connectorJsonSchema());
  return validator(data) ? [] : (validator.errors ?? []);
}

function filePath(file: string | URL): string {
  return file instanceof URL || file.startsWith('file:') ? fileURLToPath(file) : file;
}

function displayName(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown.startsWith('..') || isAbsolute(shown) ? path : shown;
}

/**
 * Reads a declarative connector file without throwing: the definition when the file is valid,
 * else every problem found (YAML syntax; JSON Schema, each at its line; the loader's own checks;
 * JSONata syntax, at the line inside the expression). `connector validate` and the hot reload
 * use this; {@link loadDeclarativeConnector} throws instead.
 *
 * @example
 * ```ts
 * const { definition, problems } = readDeclarativeConnector('connectors/erp-product-to-scm/connector.yaml');
 * for (const problem of problems) console.error(formatProblem(problem));
 * ```
 */
export function readDeclarativeConnector(file: string | URL, text?: string): DeclarativeRead {
  const path = filePath(file);
  const shown = displayName(path);
  const content = text ?? readFileSync(path, 'utf8');
  const source = new SourceFile(shown, content);
  const failed = (problems: readonly Problem[]): DeclarativeRead => ({ file: shown, text: content, definition: undefined, problems });
  if (source.syntaxProblems.length > 0) return failed(source.syntaxProblems);
  const errors = validate(source.data);
  if (errors.length > 0) return failed(schemaProblems(source, errors));

  const spec = source.data as ConnectorFileSpec;
  const compiler = new MappingCompiler(source, spec);
  const map = compiler.compile();
  const problems = [...compiler.problems];
  const folder = basename(dirname(path));
  if (basename(path) === 'connector.yaml' && basename(dirname(dirname(path))) === 'connectors' && folder !== spec.name) {
    problems.push(source.problem(['name'] as DocumentPath, `must be the folder's name, ${JSON.stringify(folder)}`));
  }
  if (!map || problems.length > 0) return failed(problems.filter((problem, index) => problems.findIndex((other) => formatProblem(other) === formatProblem(problem)) === index));

  try {
    const definition = defineConnector({
      name: spec.name,
      description: spec.description,
      source: { topics: spec.source.topics, eventTypes: spec.source.eventTypes as SourceEventName[] },
      target: connectorTarget(spec.target, compiler.produced),
      map,
      ...(spec.options ? { options: spec.options } : {}),
    });
    SOURCES.set(definition, path);
    return { file: shown, text: content, definition, problems: [] };
  } catch (error) {
    if (!(error instanceof ConnectorDefinitionError)) throw error;
    return failed(error.problems.map((problem) => source.problem([], problem)));
  }
}

/** The target a validated file declares (the compiler has checked which fields go together). */
function connectorTarget(target: TargetSpec, produced: readonly EventFullName[]): ConnectorTarget {
  const timeout = target.timeoutMs ? { timeoutMs: target.timeoutMs } : {};
  switch (target.kind) {
    case 'topic':
      return produced.length > 0 ? { kind: 'topic', produces: produced } : { kind: 'topic' };
    case 'http':
      return { kind: 'http', name: target.name as string, auth: target.auth as TargetAuth, ...(target.rateLimit ? { rateLimit: target.rateLimit } : {}), ...timeout };
    case 'postgres':
      return { kind: 'postgres', name: target.name as string, table: target.table as string, ...(target.keyColumn ? { keyColumn: target.keyColumn } : {}) };
    default:
      return { system: target.system as SystemName, ...timeout };
  }
}

/**
 * Loads `connectors/<name>/connector.yaml` as an ordinary ConnectorDefinition (the runtime, the
 * conformance suite and the tests treat it like a TypeScript one). Throws a
 * ConnectorDefinitionError listing every problem as `file:line:column path: message`.
 *
 * @example
 * ```ts
 * // connectors/index.ts
 * loadDeclarativeConnector(declarativeConnectorFile('erp-product-to-scm'));
 * ```
 */
export function loadDeclarativeConnector(file: string | URL): ConnectorDefinition {
  const { definition, problems } = readDeclarativeConnector(file);
  if (!definition) throw new ConnectorDefinitionError(problems.map(formatProblem));
  return definition;
}

/**
 * `connectors/<name>/connector.yaml` of the project, found from the project root, so that the
 * registry loads the same file whether it runs from the sources or from the compiled `dist/`
 * (which holds no YAML).
 *
 * @example
 * ```ts
 * loadDeclarativeConnector(declarativeConnectorFile('erp-product-to-scm'));
 * ```
 */
export function declarativeConnectorFile(name: string): string {
  return join(PROJECT_ROOT, 'connectors', name, 'connector.yaml');
}

/** The file a definition was loaded from, or undefined for a TypeScript connector. */
export function declarativeSourceOf(definition: ConnectorDefinition): string | undefined {
  return SOURCES.get(definition);
}
