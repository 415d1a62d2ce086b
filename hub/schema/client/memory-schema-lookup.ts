import { SchemaNotFoundError, REGISTRY_NOT_FOUND } from './errors.js';
import type { SchemaLookup, SubjectVersion } from './registry-client.js';

/**
 * A {@link SchemaLookup} held in memory: ids are assigned in order, an identical schema under
 * the same subject gets its existing id, and no compatibility is checked. For unit tests of
 * code that encodes or decodes (connector mappings, the codec) without a registry; it counts
 * the calls so tests can assert what the codec caches.
 *
 * @example
 * ```ts
 * const codec = new AvroCodec({ registry: new InMemorySchemaLookup() });
 * ```
 */
export class InMemorySchemaLookup implements SchemaLookup {
  private readonly schemas = new Map<number, string>();
  private readonly subjects = new Map<string, SubjectVersion[]>();
  private nextId = 1;
  /** How often each method was called. */
  readonly calls = { register: 0, lookup: 0, getSchemaById: 0 };

  async register(subject: string, schema: string): Promise<number> {
    this.calls.register += 1;
    const versions = this.subjects.get(subject) ?? [];
    const existing = versions.find((version) => version.schema === schema);
    if (existing) return existing.id;
    const known = [...this.schemas].find(([, text]) => text === schema);
    const id = known ? known[0] : this.nextId++;
    this.schemas.set(id, schema);
    versions.push({ subject, id, version: versions.length + 1, schema });
    this.subjects.set(subject, versions);
    return id;
  }

  async lookup(subject: string, schema: string): Promise<SubjectVersion> {
    this.calls.lookup += 1;
    const versions = this.subjects.get(subject);
    if (!versions) throw new SchemaNotFoundError(`subject ${subject} not found`, REGISTRY_NOT_FOUND.subject);
    const found = versions.find((version) => version.schema === schema);
    if (!found) throw new SchemaNotFoundError(`schema not found under ${subject}`, REGISTRY_NOT_FOUND.schema);
    return found;
  }

  async getSchemaById(id: number): Promise<string> {
    this.calls.getSchemaById += 1;
    const schema = this.schemas.get(id);
    if (schema === undefined) throw new SchemaNotFoundError(`schema id ${id} not found`, REGISTRY_NOT_FOUND.schema);
    return schema;
  }
}
