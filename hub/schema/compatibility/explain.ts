import avro from 'avsc';

type Type = avro.Type;

/** Why a reader schema cannot read data written with a writer schema, found by walking both. */
export type IncompatibilityKind =
  /** The reader has a field the writer lacks, and the reader gives it no default. */
  | 'field-missing-without-default'
  /** Reader and writer hold different, non-promotable types at the same place. */
  | 'type-changed'
  /** The writer has enum symbols the reader lacks (and the reader has no enum default). */
  | 'enum-symbols-missing'
  /** A branch of the writer's union matches no branch of the reader's type. */
  | 'union-branch-missing'
  /** Named types (record, enum, fixed) whose names differ without an alias. */
  | 'name-changed'
  /** Anything else; `detail` carries avsc's own message. */
  | 'other';

/** One reason, located by record and field where possible. */
export interface Incompatibility {
  readonly kind: IncompatibilityKind;
  /** Full name of the record holding the field, when the reason is inside a record. */
  readonly record?: string;
  /** The field's name, when the reason is about a field. */
  readonly field?: string;
  /** Dotted path of fields from the top-level record, e.g. `shippingAddress.city`. */
  readonly path: string;
  /** The reader's type at that place, described (`"int"`, `switchboard.common.Address`). */
  readonly readerType: string;
  /** The writer's type at that place, described. */
  readonly writerType: string;
  /** Enum symbols or union branches concerned. */
  readonly items?: readonly string[];
  /** avsc's message for `other`. */
  readonly detail?: string;
}

interface Place {
  readonly record?: string;
  readonly field?: string;
  readonly path: readonly string[];
}

/** True when avsc can build a resolver, i.e. `reader` can read data written with `writer`. */
export function canRead(reader: Type, writer: Type): boolean {
  return resolveError(reader, writer) === undefined;
}

/** avsc's error message when `reader` cannot read `writer`'s data, else undefined. */
export function resolveError(reader: Type, writer: Type): string | undefined {
  try {
    reader.createResolver(writer);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Lists why `reader` cannot read data written with `writer`. avsc decides (its resolver
 * throws); this walk only locates the reasons so that a message can name the field and
 * the rule. Empty when the pair is compatible.
 */
export function explainIncompatibility(reader: Type, writer: Type): Incompatibility[] {
  const error = resolveError(reader, writer);
  if (error === undefined) return [];
  const found: Incompatibility[] = [];
  walk(reader, writer, { path: [] }, found);
  if (found.length === 0) {
    found.push({ kind: 'other', path: '', readerType: describe(reader), writerType: describe(writer), detail: error });
  }
  return found;
}

function walk(reader: Type, writer: Type, place: Place, out: Incompatibility[]): void {
  if (canRead(reader, writer)) return;
  const r = unwrapLogical(reader);
  const w = unwrapLogical(writer);
  const at = (kind: IncompatibilityKind, extra: Partial<Incompatibility> = {}): void => {
    out.push({
      kind,
      ...(place.record === undefined ? {} : { record: place.record }),
      ...(place.field === undefined ? {} : { field: place.field }),
      path: place.path.join('.'),
      readerType: describe(r),
      writerType: describe(w),
      ...extra,
    });
  };

  if (isUnion(w)) {
    // Each writer branch must be readable by the reader (or one of its branches).
    const missing = unionTypes(w).filter((branch) => !canRead(r, branch)).map(describe);
    if (isUnion(r)) at('union-branch-missing', { items: missing });
    else at('type-changed');
    return;
  }
  if (isUnion(r)) {
    at('type-changed');
    return;
  }
  if (r instanceof avro.types.RecordType && w instanceof avro.types.RecordType) {
    if (!namesMatch(r, w)) {
      at('name-changed');
      return;
    }
    for (const field of r.fields) {
      const names = [field.name, ...field.aliases];
      const writerField = w.fields.find((candidate) => names.includes(candidate.name));
      const path = [...place.path, field.name];
      if (writerField === undefined) {
        if (field.defaultValue() === undefined) {
          out.push({ kind: 'field-missing-without-default', record: r.name ?? '', field: field.name, path: path.join('.'), readerType: describe(field.type), writerType: '(absent)' });
        }
        continue;
      }
      walk(field.type, writerField.type, { record: r.name ?? '', field: field.name, path }, out);
    }
    return;
  }
  if (r instanceof avro.types.EnumType && w instanceof avro.types.EnumType) {
    if (!namesMatch(r, w)) at('name-changed');
    else at('enum-symbols-missing', { items: w.symbols.filter((symbol) => !r.symbols.includes(symbol)) });
    return;
  }
  if (r instanceof avro.types.ArrayType && w instanceof avro.types.ArrayType) {
    walk(r.itemsType, w.itemsType, place, out);
    return;
  }
  if (r instanceof avro.types.MapType && w instanceof avro.types.MapType) {
    walk(r.valuesType as Type, w.valuesType as Type, place, out);
    return;
  }
  if (r instanceof avro.types.FixedType && w instanceof avro.types.FixedType && !namesMatch(r, w)) {
    at('name-changed');
    return;
  }
  at('type-changed');
}

/** A short, readable name for a type: `"int"`, `switchboard.common.Address`, `array<string>`. */
export function describe(type: Type): string {
  const t = unwrapLogical(type);
  if (t.name !== undefined) return t.name;
  if (isUnion(t)) return `[${unionTypes(t).map(describe).join(', ')}]`;
  if (t instanceof avro.types.ArrayType) return `array<${describe(t.itemsType)}>`;
  if (t instanceof avro.types.MapType) return `map<${describe(t.valuesType as Type)}>`;
  return `"${t.typeName}"`;
}

function namesMatch(reader: Type, writer: Type): boolean {
  return reader.name === writer.name || (reader.aliases ?? []).includes(writer.name ?? '');
}

function unwrapLogical(type: Type): Type {
  return type instanceof avro.types.LogicalType ? type.underlyingType : type;
}

function isUnion(type: Type): type is avro.types.UnwrappedUnionType | avro.types.WrappedUnionType {
  return type instanceof avro.types.UnwrappedUnionType || type instanceof avro.types.WrappedUnionType;
}

function unionTypes(type: avro.types.UnwrappedUnionType | avro.types.WrappedUnionType): Type[] {
  return type.types;
}
