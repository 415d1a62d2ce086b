import type { Schema, Type } from 'avsc';
import { isSwitchboardError } from '../../errors/index.js';
import { parseAvroSchema } from '../decimal-type.js';
import { schemaCatalog } from '../../../schemas/schema-catalog.js';
import type { SchemaCatalog } from '../../../schemas/schema-catalog.js';
import { isCdcEventName, type CdcEventName, type EventFullName, type EventTypeMap } from '../../../catalogue/index.js';
import type { SchemaLookup } from '../client/registry-client.js';
import { CodecInvalidValueError, CodecSchemaMismatchError, CodecUndecodableError, CodecUnknownSubjectError } from './errors.js';

/** Confluent wire format: magic byte 0, then the schema id as a 4-byte big-endian integer. */
export const MAGIC_BYTE = 0;
export const HEADER_SIZE = 5;

/** A decoded message. */
export interface Decoded<T = unknown> {
  /** The registry id of the writer schema. */
  readonly schemaId: number;
  /** The full name of the writer's record, e.g. `switchboard.crm.CustomerCreated` (undefined for non-record schemas). */
  readonly fullName: string | undefined;
  /** The value, resolved into the reader schema when the codec knows one for `fullName`. */
  readonly value: T;
}

/**
 * A decoded domain event, or a change event of a captured table (its schema is the one the
 * CDC process derived from the table, so its value is as written): narrow by `fullName`.
 */
export type DecodedEvent =
  | { [K in EventFullName]: { readonly schemaId: number; readonly fullName: K; readonly value: EventTypeMap[K] } }[EventFullName]
  | { readonly schemaId: number; readonly fullName: CdcEventName; readonly value: unknown };

/** The resolver avsc builds from a writer type to a reader type (opaque). */
type Resolver = ReturnType<Type['createResolver']>;

/** What the codec keeps per writer schema id: parsed once, resolver built once. */
interface WriterEntry {
  readonly id: number;
  readonly fullName: string | undefined;
  /** The type `decode` is called on: the reader type when there is one, else the writer type. */
  readonly decodeType: Type;
  readonly resolver: Resolver | undefined;
  /** The writer type, for `encodeWithId`. */
  readonly writerType: Type;
}

/** What the codec keeps per subject it encodes for. */
interface SubjectEntry {
  readonly type: Type;
  readonly schema: string;
  id?: number;
  pending?: Promise<number>;
}

/** Codec settings. */
export interface AvroCodecOptions {
  /** Where schema ids come from: {@link SchemaRegistryClient} or, in unit tests, an in-memory lookup. */
  readonly registry: SchemaLookup;
  /**
   * The event catalogue: subjects of its events need no `defineSubject`, and decoding resolves
   * each writer schema into the catalogue's schema of the same record (the reader schema).
   * Default: `schemas/`. `null` for a codec that knows only what it is told.
   */
  readonly catalog?: SchemaCatalog | null;
  /**
   * true (default): the first encode for a subject registers its schema (an identical schema
   * gets its existing id). false: only look the schema up, failing when it is not registered.
   */
  readonly autoRegister?: boolean;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return String(value);
  }
}

/**
 * Encodes and decodes Avro values in the Confluent wire format (magic byte 0, 4-byte schema
 * id, Avro binary body), so any Confluent-compatible client can read what Switchboard writes.
 *
 * Each subject's schema id is registered or looked up once; each writer schema id is fetched
 * once (concurrent requests share one fetch), parsed once and given its resolver once. After
 * that, `encodeSync` / `decodeSync` do the work without awaiting anything.
 *
 * @example
 * ```ts
 * const codec = new AvroCodec({ registry: SchemaRegistryClient.fromEnv() });
 * const bytes = await codec.encode(event.subject(), value);
 * const { fullName, value } = await codec.decode(bytes);
 * ```
 */
export class AvroCodec {
  private readonly registry: SchemaLookup;
  private readonly catalog: SchemaCatalog | null;
  private readonly autoRegister: boolean;
  private readonly subjects = new Map<string, SubjectEntry>();
  private readonly writers = new Map<number, WriterEntry>();
  private readonly fetching = new Map<number, Promise<WriterEntry>>();
  /** Writer ids whose schema cannot be used (unparseable, resolution refused): fail fast, fetch no more. */
  private readonly failedWriters = new Map<number, Error>();
  private readonly readers = new Map<string, Type>();
  /** Reused for every encode; the result is copied out once at its exact size. */
  private scratch = Buffer.allocUnsafe(8192);

  constructor(options: AvroCodecOptions) {
    this.registry = options.registry;
    this.catalog = options.catalog === undefined ? schemaCatalog() : options.catalog;
    this.autoRegister = options.autoRegister ?? true;
    for (const event of this.catalog?.events ?? []) this.readers.set(event.fullName, event.type);
  }

  /**
   * Declares the schema to encode `subject` with (for subjects outside the event catalogue),
   * and, for a record, the reader schema of its full name.
   */
  defineSubject(subject: string, schema: Type | Schema | string): void {
    // avsc returns an already parsed Type as it is.
    const type = parseAvroSchema(schema);
    const text = typeof schema === 'string' ? schema : JSON.stringify(type.schema({ exportAttrs: true }));
    this.subjects.set(subject, { type, schema: text });
    if (type.name && !this.readers.has(type.name)) this.readers.set(type.name, type);
  }

  /** Registers (or looks up) the schema of `subject` once and returns its id; later calls return the cached id. */
  async prepare(subject: string): Promise<number> {
    const entry = this.subjectEntry(subject);
    if (entry.id !== undefined) return entry.id;
    entry.pending ??= (async () => {
      try {
        const id = this.autoRegister
          ? await this.registry.register(subject, entry.schema)
          : (await this.registry.lookup(subject, entry.schema)).id;
        entry.id = id;
        // Our own messages then decode without a registry round trip.
        if (!this.writers.has(id)) this.writers.set(id, this.writerEntry(id, entry.type));
        return id;
      } finally {
        entry.pending = undefined;
      }
    })();
    return entry.pending;
  }

  /** Encodes `value` with the schema of `subject`, registering the schema on first use. */
  async encode(subject: string, value: unknown): Promise<Buffer> {
    const entry = this.subjectEntry(subject);
    const id = entry.id ?? (await this.prepare(subject));
    return this.write(id, entry.type, value, subject);
  }

  /** Like {@link encode}, but synchronous; undefined when the subject's id is not known yet (call `prepare` first). */
  encodeSync(subject: string, value: unknown): Buffer | undefined {
    const entry = this.subjectEntry(subject);
    return entry.id === undefined ? undefined : this.write(entry.id, entry.type, value, subject);
  }

  /** Encodes `value` with the writer schema of a known id (prepared or decoded before); undefined when the id is not cached. */
  encodeWithId(schemaId: number, value: unknown): Buffer | undefined {
    const writer = this.writers.get(schemaId);
    if (!writer) return undefined;
    return this.write(schemaId, writer.writerType, value, `schema id ${schemaId}`);
  }

  /**
   * Decodes a Confluent-framed Avro message, fetching its writer schema on first sight.
   * Throws CodecUndecodableError for bytes that are not a valid message, SchemaNotFoundError
   * when the registry does not know the id (not retriable), SchemaRegistryUnavailableError when
   * it cannot be asked (retriable).
   */
  async decode<T = unknown>(buffer: Buffer): Promise<Decoded<T>> {
    const id = this.readHeader(buffer);
    const writer = this.writers.get(id) ?? (await this.fetchWriter(id));
    return this.read<T>(writer, buffer);
  }

  /** Like {@link decode}, but synchronous; undefined when the writer schema id is not cached yet. */
  decodeSync<T = unknown>(buffer: Buffer): Decoded<T> | undefined {
    const id = this.readHeader(buffer);
    const writer = this.writers.get(id);
    if (writer) return this.read<T>(writer, buffer);
    const failed = this.failedWriters.get(id);
    if (failed) throw failed;
    return undefined;
  }

  /** Decodes an event of the catalogue (of schemas/, or of a captured table); `fullName` narrows `value` to its generated type. */
  async decodeEvent(buffer: Buffer): Promise<DecodedEvent> {
    return this.asEvent(await this.decode(buffer));
  }

  /** Like {@link decodeEvent}, but synchronous; undefined when the writer schema id is not cached yet. */
  decodeEventSync(buffer: Buffer): DecodedEvent | undefined {
    const decoded = this.decodeSync(buffer);
    return decoded && this.asEvent(decoded);
  }

  private asEvent(decoded: Decoded): DecodedEvent {
    if (decoded.fullName === undefined || !(this.catalog?.byFullName(decoded.fullName) || isCdcEventName(decoded.fullName))) {
      throw new CodecSchemaMismatchError(`schema id ${decoded.schemaId} (${decoded.fullName ?? 'not a record'}) is not an event of schemas/ or of a captured table`);
    }
    return decoded as DecodedEvent;
  }

  /** The schema id in the header of a message, without decoding it. */
  static schemaIdOf(buffer: Buffer): number {
    if (buffer.length < HEADER_SIZE) throw new CodecUndecodableError(`message of ${buffer.length} bytes is shorter than the 5-byte Confluent header`);
    if (buffer[0] !== MAGIC_BYTE) throw new CodecUndecodableError(`message starts with byte ${buffer[0]}, not the Confluent magic byte 0`);
    return buffer.readUInt32BE(1);
  }

  private readHeader(buffer: Buffer): number {
    return AvroCodec.schemaIdOf(buffer);
  }

  private subjectEntry(subject: string): SubjectEntry {
    let entry = this.subjects.get(subject);
    if (entry) return entry;
    // Catalogue subjects are `<prefix><topic>-<full name>`; any prefix maps to the same schema.
    const fullName = subject.slice(subject.lastIndexOf('-') + 1);
    const event = this.catalog?.byFullName(fullName);
    if (!event || !subject.endsWith(event.subject())) throw new CodecUnknownSubjectError(subject);
    entry = { type: event.type, schema: event.canonical };
    this.subjects.set(subject, entry);
    return entry;
  }

  private write(id: number, type: Type, value: unknown, what: string): Buffer {
    for (;;) {
      let end: number;
      try {
        end = type.encode(value, this.scratch, HEADER_SIZE);
      } catch (error) {
        throw this.invalidValue(type, value, what, error);
      }
      if (end >= 0) {
        const out = Buffer.allocUnsafe(end);
        out[0] = MAGIC_BYTE;
        out.writeUInt32BE(id, 1);
        this.scratch.copy(out, HEADER_SIZE, HEADER_SIZE, end);
        return out;
      }
      // `encode` returns minus the bytes missing; grow with headroom and write again.
      this.scratch = Buffer.allocUnsafe(2 * (this.scratch.length - end));
    }
  }

  private invalidValue(type: Type, value: unknown, what: string, cause: unknown): Error {
    if (isSwitchboardError(cause)) return cause;
    const problems: string[] = [];
    type.isValid(value, {
      errorHook: (path: string[], invalid: unknown, at: Type) => {
        problems.push(`${path.length > 0 ? path.join('.') : '(value)'}: ${describe(invalid)} is not a valid ${at.typeName}`);
      },
    });
    const detail = problems.length > 0 ? problems.join('; ') : cause instanceof Error ? cause.message : String(cause);
    return new CodecInvalidValueError(`value does not match the schema of ${what}: ${detail}`, problems, { cause });
  }

  private fetchWriter(id: number): Promise<WriterEntry> {
    const failed = this.failedWriters.get(id);
    if (failed) return Promise.reject(failed);
    let pending = this.fetching.get(id);
    if (!pending) {
      pending = (async () => {
        try {
          const schema = await this.registry.getSchemaById(id);
          const entry = this.writerEntry(id, schema);
          this.writers.set(id, entry);
          return entry;
        } catch (error) {
          // Registry failures may pass (not cached); a schema we cannot use stays unusable.
          if (error instanceof CodecUndecodableError || error instanceof CodecSchemaMismatchError) this.failedWriters.set(id, error);
          throw error;
        } finally {
          this.fetching.delete(id);
        }
      })();
      this.fetching.set(id, pending);
    }
    return pending;
  }

  private writerEntry(id: number, schema: Type | string): WriterEntry {
    let writerType: Type;
    try {
      writerType = typeof schema === 'string' ? parseAvroSchema(schema) : schema;
    } catch (error) {
      throw new CodecUndecodableError(`writer schema id ${id} cannot be parsed: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    const fullName = writerType.name;
    const reader = fullName === undefined ? undefined : this.readers.get(fullName);
    if (!reader || reader === writerType) {
      return { id, fullName, decodeType: writerType, resolver: undefined, writerType };
    }
    const exported = (type: Type) => JSON.stringify(type.schema({ exportAttrs: true }));
    if (exported(reader) === exported(writerType)) {
      // Same schema (docs aside): no resolution needed.
      return { id, fullName, decodeType: reader, resolver: undefined, writerType };
    }
    try {
      return { id, fullName, decodeType: reader, resolver: reader.createResolver(writerType), writerType };
    } catch (error) {
      throw new CodecSchemaMismatchError(
        `writer schema id ${id} of ${fullName} cannot be read with this build's schema: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  private read<T>(writer: WriterEntry, buffer: Buffer): Decoded<T> {
    let result: { value: unknown; offset: number };
    try {
      result = writer.decodeType.decode(buffer, HEADER_SIZE, writer.resolver) as { value: unknown; offset: number };
    } catch (error) {
      throw new CodecUndecodableError(
        `message with schema id ${writer.id} does not decode: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    if (result.offset < 0) throw new CodecUndecodableError(`message with schema id ${writer.id} is truncated`);
    if (result.offset !== buffer.length) {
      throw new CodecUndecodableError(`message with schema id ${writer.id} has ${buffer.length - result.offset} bytes after its Avro body`);
    }
    return { schemaId: writer.id, fullName: writer.fullName, value: result.value as T };
  }
}
