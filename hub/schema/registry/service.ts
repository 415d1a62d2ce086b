import type { Logger } from '../../log/logger.js';
import {
  checkCompatibility,
  DEFAULT_COMPATIBILITY,
  type CompatibilityLevel,
  type CompatibilityResult,
  type SchemaVersion,
} from '../compatibility/index.js';
import { parseAvroSchema, type ParsedSchema } from './canonical.js';
import { isRegistryError, registryErrors } from './errors.js';
import { configKey, idWatermarkKey, schemaKey, type RegistryRecord } from './records.js';
import { RegistryState, type StoredVersion } from './state.js';
import type { SchemaStore } from './store.js';

/** A version in a request path: a number from 1, or the latest live version. */
export type VersionSpec = number | 'latest';

/** The body of register, lookup and compatibility requests, as Confluent clients send it. */
export interface SchemaRequest {
  readonly schema: string;
  readonly schemaType?: string;
  readonly references?: readonly unknown[];
}

export interface RegistryServiceOptions {
  readonly store: SchemaStore;
  /** Used while no global level is stored. Default BACKWARD_TRANSITIVE (docs/architecture.md). */
  readonly defaultCompatibility?: CompatibilityLevel;
  readonly logger?: Logger;
  /**
   * The election term in which this instance is the writer, undefined while it is not. A new
   * term makes the next write claim the store first (fence, read to the end). Default: always
   * term 0, i.e. this instance alone writes (one process, tests).
   */
  readonly writerTerm?: () => number | undefined;
}

/**
 * The registry's behaviour, independent of HTTP: Confluent Schema Registry semantics over a
 * SchemaStore. Reads are served from memory. Writes are serialised within this instance
 * (one at a time, each deciding on the state left by the previous one), go to the store
 * first, and reach memory when the store hands them back, so memory always equals the log.
 *
 * Writes are taken only while this instance is the writer (`writerTerm`), and the first write
 * of each term claims the store: other instances are fenced and the log is read to its end
 * before any id or version is chosen. A failed append drops the claim, so the next write
 * re-reads the log and cannot reuse an id that the failed append may have taken after all.
 */
export class RegistryService {
  private readonly state = new RegistryState();
  private readonly store: SchemaStore;
  private readonly defaultLevel: CompatibilityLevel;
  private readonly logger: Logger | undefined;
  private readonly writerTerm: () => number | undefined;
  /** The term whose claim succeeded; undefined until the next claim. */
  private claimedTerm: number | undefined;
  /**
   * A term in which another instance fenced this one. Claiming again in the same term would
   * fence the new writer back (they would take turns until this instance sees the election
   * result), so writes wait for the next term instead.
   */
  private fencedTerm: number | undefined;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(options: RegistryServiceOptions) {
    this.store = options.store;
    this.defaultLevel = options.defaultCompatibility ?? DEFAULT_COMPATIBILITY;
    this.logger = options.logger;
    this.writerTerm = options.writerTerm ?? (() => 0);
  }

  /** Replays the store; resolves when memory holds everything stored so far. */
  async start(): Promise<void> {
    await this.store.start((record) => this.state.apply(record));
  }

  /**
   * Claims the store now rather than at the first write of the term, so that the first write
   * after a writer change waits less and a transaction left open by a crashed writer is
   * aborted at once. Failures are logged; the next write claims again.
   */
  prepareWriter(): void {
    this.write(async () => undefined).catch((error: unknown) => {
      // 50003: the role moved on before the claim ran; nothing to report.
      if (isRegistryError(error) && error.errorCode === 50003) this.logger?.debug({ err: error }, 'no longer the writer');
      else this.logger?.warn({ err: error }, 'could not take over as the schema registry writer yet; the next write tries again');
    });
  }

  /** Resolves once this instance has applied everything in the store so far (read-your-writes after a forwarded write). */
  catchUp(): Promise<void> {
    return this.store.catchUp();
  }

  /** Lets the write in progress finish, then closes the store. */
  async close(): Promise<void> {
    await this.writes;
    await this.store.close();
  }

  // ---- configuration -------------------------------------------------------------------

  globalLevel(): CompatibilityLevel {
    return this.state.globalCompatibility() ?? this.defaultLevel;
  }

  /** The level that governs `subject`: its own, else the global one. */
  effectiveLevel(subject: string): CompatibilityLevel {
    return this.state.subjectLevel(subject) ?? this.globalLevel();
  }

  /** The subject's own level; 40408 when it has none, unless `defaultToGlobal`. */
  subjectLevel(subject: string, defaultToGlobal: boolean): CompatibilityLevel {
    const level = this.state.subjectLevel(subject);
    if (level !== undefined) return level;
    if (defaultToGlobal) return this.globalLevel();
    throw registryErrors.subjectConfigNotFound(subject);
  }

  setLevel(subject: string | null, level: CompatibilityLevel): Promise<CompatibilityLevel> {
    return this.write(async () => {
      await this.append([{ key: configKey(subject), value: { compatibilityLevel: level } }]);
      return level;
    });
  }

  /** Removes a subject's own level and returns it; the subject then follows the global level. */
  deleteSubjectLevel(subject: string): Promise<CompatibilityLevel> {
    return this.write(async () => {
      const level = this.state.subjectLevel(subject);
      if (level === undefined) {
        throw this.state.hasSubject(subject) ? registryErrors.subjectConfigNotFound(subject) : registryErrors.subjectNotFound(subject);
      }
      await this.append([{ key: configKey(subject), value: null }]);
      return level;
    });
  }

  // ---- reads ---------------------------------------------------------------------------

  subjects(includeDeleted: boolean): string[] {
    return this.state.subjectNames(includeDeleted);
  }

  versions(subject: string, includeDeleted: boolean): number[] {
    return this.subjectVersions(subject, includeDeleted).map((v) => v.version);
  }

  /** One version of a subject; 40401 / 40402 when there is none. */
  version(subject: string, spec: VersionSpec, includeDeleted: boolean): StoredVersion {
    const versions = this.subjectVersions(subject, includeDeleted);
    if (spec === 'latest') return versions[versions.length - 1];
    const found = versions.find((v) => v.version === spec);
    if (!found) throw registryErrors.versionNotFound(subject, spec);
    return found;
  }

  schemaById(id: number): string {
    const schema = this.state.schemaText(id);
    if (schema === undefined) throw registryErrors.schemaNotFound(`Schema ${id} not found`);
    return schema;
  }

  versionsById(id: number, includeDeleted: boolean): { subject: string; version: number }[] {
    this.schemaById(id);
    return this.state
      .versionsOfId(id)
      .filter((v) => includeDeleted || !v.deleted)
      .map(({ subject, version }) => ({ subject, version }));
  }

  subjectsById(id: number, includeDeleted: boolean): string[] {
    return [...new Set(this.versionsById(id, includeDeleted).map((v) => v.subject))];
  }

  /** The version of `subject` that holds this schema; 40401 / 40403 when none does. */
  lookup(subject: string, request: SchemaRequest, includeDeleted: boolean): StoredVersion {
    const parsed = parseRequest(request);
    const versions = this.subjectVersions(subject, includeDeleted);
    const found = [...versions].reverse().find((v) => this.state.canonicalOf(v.id) === parsed.canonical);
    if (!found) throw registryErrors.schemaNotFound(`Schema not found in subject '${subject}'`);
    return found;
  }

  /**
   * Would `request` be accepted after `spec`? `latest` applies the subject's level as
   * registration would (all live versions for _TRANSITIVE levels); a number checks
   * against that version alone, in the level's direction(s).
   */
  testCompatibility(subject: string, spec: VersionSpec, request: SchemaRequest): CompatibilityResult {
    const parsed = parseRequest(request);
    const level = this.effectiveLevel(subject);
    const against = spec === 'latest' ? this.subjectVersions(subject, false) : [this.version(subject, spec, false)];
    return checkCompatibility(parsed.type, this.parsedVersions(against), level);
  }

  // ---- writes --------------------------------------------------------------------------

  /**
   * Registers a schema under `subject`. An identical schema already live in the subject
   * returns its id without writing; a schema known under another subject keeps its global
   * id; anything else gets the next id. 409 when the subject's level refuses it.
   */
  register(subject: string, request: SchemaRequest): Promise<{ id: number; version: number }> {
    const parsed = parseRequest(request);
    return this.write(async () => {
      const all = this.state.versions(subject);
      const live = all.filter((v) => !v.deleted);
      const same = live.find((v) => this.state.canonicalOf(v.id) === parsed.canonical);
      if (same) return { id: same.id, version: same.version };

      const level = this.effectiveLevel(subject);
      const result = checkCompatibility(parsed.type, this.parsedVersions(live), level);
      if (!result.compatible) throw registryErrors.incompatible(subject, result.messages);

      const id = this.state.idOf(parsed.canonical) ?? this.state.nextId();
      const version = (all[all.length - 1]?.version ?? 0) + 1;
      await this.append([{ key: schemaKey(subject, version), value: { subject, version, id, schema: parsed.schema, deleted: false } }]);
      this.logger?.info({ subject, version, id }, 'schema registered');
      return { id, version };
    });
  }

  /** Soft-deletes a version, or permanently deletes a soft-deleted one. Returns the version. */
  deleteVersion(subject: string, spec: VersionSpec, permanent: boolean): Promise<number> {
    return this.write(async () => {
      // A soft delete of `latest` means the latest live version; numbers may name deleted ones (40406).
      const target = spec === 'latest' && !permanent ? this.version(subject, 'latest', false) : this.version(subject, spec, true);
      if (!permanent) {
        if (target.deleted) throw registryErrors.versionSoftDeleted(subject, target.version);
        await this.append([{ key: schemaKey(subject, target.version), value: { ...target, deleted: true } }]);
        return target.version;
      }
      if (!target.deleted) throw registryErrors.versionNotSoftDeleted(subject, target.version);
      await this.append([this.watermark(), { key: schemaKey(subject, target.version), value: null }]);
      return target.version;
    });
  }

  /** Soft-deletes every live version, or permanently removes a soft-deleted subject. */
  deleteSubject(subject: string, permanent: boolean): Promise<number[]> {
    return this.write(async () => {
      const all = this.state.versions(subject);
      if (all.length === 0) throw registryErrors.subjectNotFound(subject);
      const live = all.filter((v) => !v.deleted);
      if (!permanent) {
        if (live.length === 0) throw registryErrors.subjectSoftDeleted(subject);
        await this.append(live.map((v) => ({ key: schemaKey(subject, v.version), value: { ...v, deleted: true } })));
        return live.map((v) => v.version);
      }
      if (live.length > 0) throw registryErrors.subjectNotSoftDeleted(subject);
      const records: RegistryRecord[] = [this.watermark(), ...all.map((v) => ({ key: schemaKey(subject, v.version), value: null }))];
      if (this.state.subjectLevel(subject) !== undefined) records.push({ key: configKey(subject), value: null });
      await this.append(records);
      return all.map((v) => v.version);
    });
  }

  // ---- internals -----------------------------------------------------------------------

  /** Versions of a subject; 40401 when it has none visible. */
  private subjectVersions(subject: string, includeDeleted: boolean): StoredVersion[] {
    const versions = includeDeleted ? this.state.versions(subject) : this.state.liveVersions(subject);
    if (versions.length === 0) throw registryErrors.subjectNotFound(subject);
    return versions;
  }

  private parsedVersions(versions: readonly StoredVersion[]): SchemaVersion[] {
    const parsed: SchemaVersion[] = [];
    for (const v of versions) {
      const type = this.state.schemaType(v.id);
      if (type) parsed.push({ version: v.version, type });
    }
    return parsed;
  }

  /** Keeps the highest id in the log before tombstones remove the records that carry it. */
  private watermark(): RegistryRecord {
    return { key: idWatermarkKey(), value: { maxId: this.state.maxId } };
  }

  private async append(records: readonly RegistryRecord[]): Promise<void> {
    try {
      await this.store.append(records);
    } catch (error) {
      if (isRegistryError(error) && error.errorCode === 50003) {
        this.fencedTerm = this.claimedTerm;
        this.logger?.warn(
          { term: this.claimedTerm },
          'another instance took over the schema registry writer role; writes wait for the election to show it (if this persists, a registry outside this election writes to the topic: check SCHEMA_REGISTRY_GROUP_ID)',
        );
      }
      // Whatever failed, the record may or may not be in the log: re-read before deciding again.
      this.claimedTerm = undefined;
      throw this.storeFailure(error, 'schema store write failed');
    }
  }

  /**
   * Runs write tasks one after another, so each decides on the state the previous left, and
   * only as the writer: the first task of a term claims the store (fence, read to the end).
   */
  private write<T>(task: () => Promise<T>): Promise<T> {
    const asWriter = async () => {
      const term = this.writerTerm();
      if (term === undefined) throw registryErrors.writerUnavailable('this instance is not the writer');
      if (term === this.fencedTerm) throw registryErrors.writerUnavailable('another instance has taken over the writer role');
      if (this.claimedTerm !== term) {
        try {
          await this.store.claim();
        } catch (error) {
          throw this.storeFailure(error, 'could not claim the schema store');
        }
        this.claimedTerm = term;
        this.logger?.info({ term, nextId: this.state.nextId() }, 'claimed the schema store: this instance writes');
      }
      return task();
    };
    const run = this.writes.then(asWriter, asWriter);
    this.writes = run.catch(() => undefined);
    return run;
  }

  private storeFailure(error: unknown, what: string): Error {
    if (isRegistryError(error)) return error;
    this.logger?.error({ err: error }, what);
    return registryErrors.storeError(error instanceof Error ? error.message : String(error), error);
  }
}

/** Validates a request body's schema fields; 42201 for what the registry cannot take. */
export function parseRequest(request: SchemaRequest): ParsedSchema {
  const type = request.schemaType ?? 'AVRO';
  if (type !== 'AVRO') throw registryErrors.invalidSchema(`schemaType ${type} is not supported; this registry serves AVRO only`);
  if (request.references && request.references.length > 0) {
    throw registryErrors.invalidSchema('schema references are not supported by the built-in registry; inline the referenced types');
  }
  if (typeof request.schema !== 'string' || request.schema.trim() === '') throw registryErrors.invalidSchema('the body must carry the schema as a JSON string in "schema"');
  return parseAvroSchema(request.schema);
}
