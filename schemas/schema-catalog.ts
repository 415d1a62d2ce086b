/**
 * The schema catalogue: reads the `.avsc` files of this folder, checks them against the topic
 * catalogue, and gives each event type its self-contained schema (common types expanded in
 * place), its parsed avsc type, its canonical JSON (what is registered) and its subject.
 *
 * Layout: `schemas/<system>/<EventType>.avsc` (record `switchboard.<system>.<EventType>`) and
 * `schemas/common/<Name>.avsc` (named types `switchboard.common.<Name>`, referenced from
 * events by their full name).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Schema, Type } from 'avsc';
import { PROJECT_ROOT } from '../hub/config/project-root.js';
import { parseAvroSchema } from '../hub/schema/decimal-type.js';
import { SYSTEM_NAMES, allEventTypes, subjectName, topicName } from '../topics/catalogue.js';
import type { TopicSpec } from '../topics/catalogue.js';

/** A JSON value as read from an `.avsc` file. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object node of a schema. */
export type JsonObject = { [key: string]: JsonValue };

/** The folder holding the `.avsc` files. */
export const SCHEMAS_DIR = join(PROJECT_ROOT, 'schemas');

/** One named type of `schemas/common/`. */
export interface CommonSchema {
  readonly fullName: string;
  readonly name: string;
  /** The schema as written in its file. */
  readonly schema: JsonObject;
  readonly file: string;
}

/** One event type: its catalogue entry and its schema in every form the hub needs. */
export interface EventSchema {
  readonly topic: TopicSpec;
  /** Record name, e.g. `CustomerCreated`. */
  readonly eventType: string;
  /** Record full name, e.g. `switchboard.crm.CustomerCreated`. */
  readonly fullName: string;
  /** CloudEvents type, e.g. `crm.customer.CustomerCreated`. */
  readonly ceType: string;
  /** The schema as written in its file (common types referenced by name). */
  readonly sourceSchema: JsonObject;
  /** Self-contained schema: every common type it uses is defined inline, once. */
  readonly schema: JsonObject;
  /** `JSON.stringify(schema)`: the string registered with the schema registry. */
  readonly canonical: string;
  /** The parsed avsc type (decimal as string, timestamp-millis as epoch ms). */
  readonly type: Type;
  readonly file: string;
  /** The topic name, optionally behind a test prefix. */
  topicName(prefix?: string): string;
  /** The TopicRecordNameStrategy subject, `<topic>-<full name>`, optionally behind a test prefix. */
  subject(prefix?: string): string;
}

/** Every schema of the folder, checked. */
export interface SchemaCatalog {
  readonly events: readonly EventSchema[];
  readonly common: readonly CommonSchema[];
  /** The event schema of a record full name, or undefined. */
  byFullName(fullName: string): EventSchema | undefined;
}

/** A catalogue whose files break a rule; the message lists every problem. */
export class SchemaCatalogError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`schemas/ has ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    this.name = 'SchemaCatalogError';
  }
}

const NAMED_TYPES = new Set(['record', 'error', 'enum', 'fixed']);
const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJson(file: string): JsonObject {
  const value = JSON.parse(readFileSync(file, 'utf8')) as JsonValue;
  if (!isObject(value)) throw new SchemaCatalogError([`${file}: not a JSON object`]);
  return value;
}

function fullNameOf(node: JsonObject, namespace: string | undefined): string {
  const name = String(node.name);
  if (name.includes('.')) return name;
  const ns = typeof node.namespace === 'string' ? node.namespace : namespace;
  return ns ? `${ns}.${name}` : name;
}

/**
 * Replaces the first reference to each common type with its definition (recursively), so
 * the result parses on its own; later references stay names, as Avro requires.
 */
function expand(node: JsonValue, common: ReadonlyMap<string, CommonSchema>, defined: Set<string>, namespace: string | undefined): JsonValue {
  if (typeof node === 'string') {
    const entry = common.get(node);
    if (!entry || defined.has(node)) return node;
    return expand(structuredClone(entry.schema), common, defined, namespace);
  }
  if (Array.isArray(node)) return node.map((branch) => expand(branch, common, defined, namespace));
  if (!isObject(node)) return node;
  const out: JsonObject = { ...node };
  let ns = namespace;
  if (typeof node.type === 'string' && NAMED_TYPES.has(node.type)) {
    const fullName = fullNameOf(node, namespace);
    defined.add(fullName);
    ns = fullName.slice(0, fullName.lastIndexOf('.')) || undefined;
  }
  if (node.type !== undefined && typeof node.type !== 'string') out.type = expand(node.type, common, defined, ns);
  else if (typeof node.type === 'string' && !PRIMITIVES.has(node.type) && !NAMED_TYPES.has(node.type) && node.type !== 'array' && node.type !== 'map') {
    out.type = expand(node.type, common, defined, ns);
  }
  if (Array.isArray(node.fields)) {
    out.fields = node.fields.map((field) => {
      if (!isObject(field)) return field;
      return { ...field, type: expand(field.type, common, defined, ns) };
    });
  }
  if (node.items !== undefined) out.items = expand(node.items, common, defined, ns);
  if (node.values !== undefined) out.values = expand(node.values, common, defined, ns);
  return out;
}

/** Checks the house rules on one schema: every field documented, no floats, names qualified. */
function lint(node: JsonValue, where: string, problems: string[], common: ReadonlyMap<string, CommonSchema>): void {
  if (typeof node === 'string') {
    if (node === 'float' || node === 'double') problems.push(`${where}: ${node} is not allowed (money and quantities are exact: use decimal or int/long)`);
    if (!PRIMITIVES.has(node) && !common.has(node) && !node.includes('.')) {
      problems.push(`${where}: type reference "${node}" must be a full name (e.g. switchboard.common.Money)`);
    }
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((branch) => lint(branch, where, problems, common));
    if (node.length === 2 && node[1] === 'null') problems.push(`${where}: optional unions are ["null", T] with default null`);
    return;
  }
  if (!isObject(node)) return;
  if (typeof node.type === 'string' && NAMED_TYPES.has(node.type) && typeof node.doc !== 'string') {
    problems.push(`${where}: type ${String(node.name)} has no "doc"`);
  }
  if (Array.isArray(node.fields)) {
    for (const field of node.fields) {
      if (!isObject(field)) continue;
      const at = `${where}.${String(field.name)}`;
      if (typeof field.doc !== 'string' || field.doc.trim() === '') problems.push(`${at}: field has no "doc"`);
      if (Array.isArray(field.type) && field.type[0] === 'null' && !('default' in field && field.default === null)) {
        problems.push(`${at}: optional field needs "default": null`);
      }
      lint(field.type, at, problems, common);
    }
    return;
  }
  const complex = typeof node.type === 'string' && (NAMED_TYPES.has(node.type) || node.type === 'array' || node.type === 'map');
  if (node.type !== undefined && !complex) lint(node.type, where, problems, common);
  if (node.items !== undefined) lint(node.items, where, problems, common);
  if (node.values !== undefined) lint(node.values, where, problems, common);
}

/** The topic's key field must be a required string field of every event on it: the record key is read from it. */
function checkKeyField(schema: JsonObject, topic: TopicSpec, file: string, problems: string[]): void {
  const fields = Array.isArray(schema.fields) ? schema.fields.filter(isObject) : [];
  const field = fields.find((candidate) => candidate.name === topic.keyField);
  if (!field) problems.push(`${file}: has no field ${topic.keyField}, the key field of ${topicName(topic)} (topics/catalogue.ts)`);
  else if (field.type !== 'string') problems.push(`${file}: key field ${topic.keyField} must be a required string, found ${JSON.stringify(field.type)}`);
}

function avscFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => name.endsWith('.avsc')).sort();
  } catch {
    return [];
  }
}

/**
 * Reads and checks every schema under `dir` (default: this folder). Throws a
 * SchemaCatalogError listing every problem: a catalogue event without a file, a file without a
 * catalogue event, a wrong record name or namespace, an undocumented field, a float, a schema
 * avsc refuses.
 */
export function loadSchemaCatalog(dir: string = SCHEMAS_DIR): SchemaCatalog {
  const problems: string[] = [];
  const common = new Map<string, CommonSchema>();
  for (const name of avscFiles(join(dir, 'common'))) {
    const file = join(dir, 'common', name);
    const schema = readJson(file);
    const fullName = fullNameOf(schema, undefined);
    const expected = `switchboard.common.${name.replace(/\.avsc$/, '')}`;
    if (fullName !== expected) problems.push(`common/${name}: defines ${fullName}, expected ${expected}`);
    common.set(fullName, { fullName, name: String(schema.name), schema, file });
  }
  for (const entry of common.values()) lint(entry.schema, entry.fullName, problems, common);

  const events: EventSchema[] = [];
  const expectedFiles = new Set<string>();
  for (const entry of allEventTypes()) {
    const relative = `${entry.topic.system}/${entry.eventType}.avsc`;
    expectedFiles.add(relative);
    const file = join(dir, relative);
    let sourceSchema: JsonObject;
    try {
      sourceSchema = readJson(file);
    } catch (error) {
      problems.push(`${relative}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const fullName = fullNameOf(sourceSchema, undefined);
    if (sourceSchema.type !== 'record' || fullName !== entry.fullName) {
      problems.push(`${relative}: must be a record named ${entry.fullName}, found ${String(sourceSchema.type)} ${fullName}`);
      continue;
    }
    lint(sourceSchema, entry.fullName, problems, common);
    checkKeyField(sourceSchema, entry.topic, relative, problems);
    const schema = expand(sourceSchema, common, new Set(), undefined) as JsonObject;
    let type: Type;
    try {
      type = parseAvroSchema(schema as unknown as Schema);
    } catch (error) {
      problems.push(`${relative}: avsc refuses it: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const topic = entry.topic;
    events.push(
      Object.freeze({
        topic,
        eventType: entry.eventType,
        fullName: entry.fullName,
        ceType: entry.ceType,
        sourceSchema,
        schema,
        canonical: JSON.stringify(schema),
        type,
        file,
        topicName: (prefix = '') => topicName(topic, prefix),
        subject: (prefix = '') => subjectName(topicName(topic, prefix), entry.fullName),
      }),
    );
  }
  for (const system of SYSTEM_NAMES) {
    for (const name of avscFiles(join(dir, system))) {
      if (!expectedFiles.has(`${system}/${name}`)) problems.push(`${system}/${name}: no event type of topics/catalogue.ts uses it`);
    }
  }
  if (problems.length > 0) throw new SchemaCatalogError(problems);

  const byName = new Map(events.map((event) => [event.fullName, event]));
  return Object.freeze({
    events: Object.freeze(events),
    common: Object.freeze([...common.values()]),
    byFullName: (fullName: string) => byName.get(fullName),
  });
}

let cached: SchemaCatalog | undefined;

/** The catalogue of this folder, loaded once per process. */
export function schemaCatalog(): SchemaCatalog {
  cached ??= loadSchemaCatalog();
  return cached;
}

/** The event schema of a record full name; throws when the catalogue has none (a programming error). */
export function eventSchema(fullName: string): EventSchema {
  const found = schemaCatalog().byFullName(fullName);
  if (!found) throw new Error(`schemas/ has no event ${fullName}`);
  return found;
}
