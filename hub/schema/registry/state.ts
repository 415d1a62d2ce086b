import type avro from 'avsc';
import type { CompatibilityLevel } from '../compatibility/index.js';
import { parseAvroSchema } from './canonical.js';
import type { RegistryRecord, SchemaValue } from './records.js';

/** One version of one subject. */
export type StoredVersion = SchemaValue;

interface SchemaEntry {
  readonly id: number;
  readonly schema: string;
  readonly canonical: string;
  /** Parsed on first use; undefined when the stored text does not parse (foreign record). */
  type?: avro.Type | null;
  /** `subject\u0000version` of every version that uses this id. */
  readonly refs: Set<string>;
}

const ref = (subject: string, version: number) => `${subject}\u0000${version}`;

/**
 * The registry's memory: a pure function of the `_schemas` records applied in log order.
 * Applying the same record twice changes nothing, so replay and tail can overlap safely.
 */
export class RegistryState {
  private readonly subjects = new Map<string, Map<number, StoredVersion>>();
  private readonly subjectConfigs = new Map<string, CompatibilityLevel>();
  private globalLevel: CompatibilityLevel | undefined;
  private readonly schemas = new Map<number, SchemaEntry>();
  private readonly idByCanonical = new Map<string, number>();
  private highestId = 0;

  apply(record: RegistryRecord): void {
    switch (record.key.keytype) {
      case 'SCHEMA':
        this.applySchema(record.key.subject, record.key.version, record.value as SchemaValue | null);
        return;
      case 'CONFIG': {
        const value = record.value as { compatibilityLevel: CompatibilityLevel } | null;
        if (record.key.subject === null) this.globalLevel = value?.compatibilityLevel;
        else if (value === null) this.subjectConfigs.delete(record.key.subject);
        else this.subjectConfigs.set(record.key.subject, value.compatibilityLevel);
        return;
      }
      case 'ID_WATERMARK': {
        const value = record.value as { maxId: number } | null;
        if (value) this.highestId = Math.max(this.highestId, value.maxId);
        return;
      }
    }
  }

  private applySchema(subject: string, version: number, value: SchemaValue | null): void {
    const versions = this.subjects.get(subject) ?? new Map<number, StoredVersion>();
    const previous = versions.get(version);
    if (previous) this.unref(previous);
    if (value === null) {
      versions.delete(version);
      if (versions.size === 0) this.subjects.delete(subject);
      return;
    }
    versions.set(version, value);
    this.subjects.set(subject, versions);
    this.highestId = Math.max(this.highestId, value.id);
    let entry = this.schemas.get(value.id);
    if (!entry) {
      entry = { id: value.id, schema: value.schema, canonical: canonicalOrRaw(value.schema), refs: new Set() };
      this.schemas.set(value.id, entry);
      if (!this.idByCanonical.has(entry.canonical)) this.idByCanonical.set(entry.canonical, value.id);
    }
    entry.refs.add(ref(subject, version));
  }

  private unref(version: StoredVersion): void {
    const entry = this.schemas.get(version.id);
    if (!entry) return;
    entry.refs.delete(ref(version.subject, version.version));
    if (entry.refs.size > 0) return;
    this.schemas.delete(version.id);
    if (this.idByCanonical.get(entry.canonical) === version.id) this.idByCanonical.delete(entry.canonical);
  }

  /** Subjects with at least one live version; with `includeDeleted`, soft-deleted ones too. */
  subjectNames(includeDeleted: boolean): string[] {
    return [...this.subjects.entries()]
      .filter(([, versions]) => includeDeleted || [...versions.values()].some((v) => !v.deleted))
      .map(([name]) => name)
      .sort();
  }

  /** Every version of a subject that the log still holds (live and soft-deleted), oldest first. */
  versions(subject: string): StoredVersion[] {
    return [...(this.subjects.get(subject)?.values() ?? [])].sort((a, b) => a.version - b.version);
  }

  /** The live versions of a subject, oldest first. */
  liveVersions(subject: string): StoredVersion[] {
    return this.versions(subject).filter((v) => !v.deleted);
  }

  hasSubject(subject: string): boolean {
    return this.subjects.has(subject);
  }

  /** The schema text registered under `id`, if any version still uses it. */
  schemaText(id: number): string | undefined {
    return this.schemas.get(id)?.schema;
  }

  /** The parsed type of `id` (cached); undefined when unknown or unparseable. */
  schemaType(id: number): avro.Type | undefined {
    const entry = this.schemas.get(id);
    if (!entry) return undefined;
    if (entry.type === undefined) {
      try {
        entry.type = parseAvroSchema(entry.schema).type;
      } catch {
        entry.type = null;
      }
    }
    return entry.type ?? undefined;
  }

  /** Every subject/version using `id`. */
  versionsOfId(id: number): StoredVersion[] {
    const found: StoredVersion[] = [];
    for (const key of this.schemas.get(id)?.refs ?? []) {
      const [subject, version] = key.split('\u0000');
      const stored = this.subjects.get(subject)?.get(Number(version));
      if (stored) found.push(stored);
    }
    return found.sort((a, b) => a.subject.localeCompare(b.subject) || a.version - b.version);
  }

  /** The id already given to a schema with this canonical form. */
  idOf(canonical: string): number | undefined {
    return this.idByCanonical.get(canonical);
  }

  /** The canonical form of the schema stored under `id`. */
  canonicalOf(id: number): string | undefined {
    return this.schemas.get(id)?.canonical;
  }

  /** The next free id: above every id ever seen, including permanently deleted ones. */
  nextId(): number {
    return this.highestId + 1;
  }

  get maxId(): number {
    return this.highestId;
  }

  subjectLevel(subject: string): CompatibilityLevel | undefined {
    return this.subjectConfigs.get(subject);
  }

  globalCompatibility(): CompatibilityLevel | undefined {
    return this.globalLevel;
  }
}

function canonicalOrRaw(schema: string): string {
  try {
    return parseAvroSchema(schema).canonical;
  } catch {
    return schema;
  }
}
