import avro from 'avsc';
import { registryErrors } from './errors.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A schema as the registry keeps it: the text it was given, its identity, its avsc type. */
export interface ParsedSchema {
  /** The schema exactly as registered; served back unchanged. */
  readonly schema: string;
  /** Identity: names made full, `namespace` folded in, keys sorted, whitespace dropped. */
  readonly canonical: string;
  readonly type: avro.Type;
}

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const NAMED = new Set(['record', 'error', 'enum', 'fixed']);
const KEYWORDS = new Set([...PRIMITIVES, ...NAMED, 'array', 'map']);

/**
 * Parses and validates an Avro schema text with avsc, and computes its canonical form.
 * Unlike Avro's Parsing Canonical Form this keeps docs, defaults, aliases, logical types and
 * custom properties (as Confluent does), so two schemas get the same id only when they say
 * the same thing; formatting, key order and `namespace` vs full names do not matter.
 * Throws a 42201 RegistryError when the text is not a valid Avro schema.
 */
export function parseAvroSchema(schema: string): ParsedSchema {
  let json: Json;
  try {
    json = JSON.parse(schema) as Json;
  } catch (error) {
    throw registryErrors.invalidSchema(`not JSON (${(error as Error).message})`);
  }
  let type: avro.Type;
  try {
    type = avro.Type.forSchema(json as Parameters<typeof avro.Type.forSchema>[0]);
  } catch (error) {
    throw registryErrors.invalidSchema(error instanceof Error ? error.message : String(error));
  }
  return { schema, canonical: stableStringify(canonicalise(json, '')), type };
}

/** The canonical JSON of a schema (see parseAvroSchema), exported for tests and tools. */
export function canonicalSchema(schema: string): string {
  return parseAvroSchema(schema).canonical;
}

function fullName(name: string, namespace: string): string {
  return name.includes('.') || namespace === '' ? name : `${namespace}.${name}`;
}

function namespaceOf(full: string): string {
  const dot = full.lastIndexOf('.');
  return dot < 0 ? '' : full.slice(0, dot);
}

function canonicalise(node: Json, namespace: string): Json {
  if (typeof node === 'string') return PRIMITIVES.has(node) ? node : fullName(node, namespace);
  if (Array.isArray(node)) return node.map((branch) => canonicalise(branch, namespace));
  if (node === null || typeof node !== 'object') return node;

  const type = node.type;
  if (typeof type === 'string' && PRIMITIVES.has(type) && Object.keys(node).length === 1) return type;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) if (key !== 'namespace') out[key] = value;

  let inner = namespace;
  if (typeof type === 'string' && NAMED.has(type) && typeof node.name === 'string') {
    const explicit = typeof node.namespace === 'string' ? node.namespace : namespace;
    out.name = fullName(node.name, explicit);
    inner = namespaceOf(out.name);
  }
  // `type` is a keyword (record, array, int, ...), a nested schema, or a named type reference.
  if (typeof type !== 'string' || !KEYWORDS.has(type)) out.type = canonicalise(type ?? null, namespace);
  if (Array.isArray(node.fields)) {
    out.fields = node.fields.map((field) =>
      field !== null && typeof field === 'object' && !Array.isArray(field) ? { ...field, type: canonicalise(field.type ?? null, inner) } : field,
    );
  }
  if (node.items !== undefined) out.items = canonicalise(node.items, namespace);
  if (node.values !== undefined) out.values = canonicalise(node.values, namespace);
  return out;
}

/** JSON with object keys sorted at every depth, so equal schemas give equal strings. */
export function stableStringify(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stableStringify(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
