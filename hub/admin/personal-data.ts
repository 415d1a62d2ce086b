import { schemaCatalog, type JsonObject, type JsonValue, type SchemaCatalog } from '../../schemas/schema-catalog.js';

/** What a viewer sees instead of a personal value. */
export const MASK = '***';

/** A value with its personal fields masked, and the personal values found (to scrub them from texts). */
export interface Masked {
  readonly value: unknown;
  readonly personal: readonly string[];
}

/** E-mail addresses anywhere in a text (an error message may quote one). */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/**
 * Personal data in events, as the Avro schemas declare it: a field with `"pii": true` (customer
 * names, e-mails, phones, the lines of `switchboard.common.Address`, who signed for a delivery).
 * The admin API masks those values for viewers; operators and admins see them. Declared in the
 * schemas rather than guessed from field names, because the same name can be personal in one
 * event and not in another (a customer's `name`, a product's `name`).
 *
 * @example
 * ```ts
 * const personal = new PersonalData();
 * const { value } = personal.mask('switchboard.crm.CustomerCreated', customer);
 * value.email; // '***'
 * ```
 */
export class PersonalData {
  /** Every named type of the catalogue by full name, for references by name. */
  private readonly named = new Map<string, JsonObject>();

  constructor(private readonly catalog: SchemaCatalog = schemaCatalog()) {
    for (const common of catalog.common) this.named.set(common.fullName, common.schema);
  }

  /** True when the schemas know the event type, so its personal fields are known. */
  knows(fullName: string | undefined): boolean {
    return fullName !== undefined && this.catalog.byFullName(fullName) !== undefined;
  }

  /** `value` of event type `fullName` with every personal field replaced by {@link MASK}. An unknown type is masked whole. */
  mask(fullName: string | undefined, value: unknown): Masked {
    const event = fullName === undefined ? undefined : this.catalog.byFullName(fullName);
    if (!event) return { value: MASK, personal: [] };
    const personal: string[] = [];
    const masked = this.walk(value, event.schema, event.schema.namespace as string | undefined, personal);
    return { value: masked, personal };
  }

  /** `text` with the given personal values and any e-mail address replaced by {@link MASK}. */
  scrub(text: string, personal: readonly string[] = []): string {
    let out = text;
    // Longest first, so a name containing another is replaced whole.
    for (const item of [...personal].filter((p) => p.length >= 3).sort((a, b) => b.length - a.length)) out = out.split(item).join(MASK);
    return out.replace(EMAIL, MASK);
  }

  private walk(value: unknown, type: JsonValue, namespace: string | undefined, personal: string[]): unknown {
    if (value === null || value === undefined) return value;
    if (typeof type === 'string') {
      const named = this.named.get(type) ?? this.named.get(namespace ? `${namespace}.${type}` : type);
      return named ? this.walk(value, named, namespace, personal) : value;
    }
    if (Array.isArray(type)) {
      // Unions are ["null", T] in these schemas; a non-null value is of the other branch.
      const branch = type.find((candidate) => candidate !== 'null');
      return branch === undefined ? value : this.walk(value, branch, namespace, personal);
    }
    if (!isObject(type)) return value;
    if (type.type === 'record' && Array.isArray(type.fields) && isObject(value)) {
      const ns = typeof type.namespace === 'string' ? type.namespace : namespace;
      if (typeof type.name === 'string') this.named.set(type.name.includes('.') ? type.name : `${ns}.${type.name}`, type);
      const out: Record<string, unknown> = { ...value };
      for (const field of type.fields) {
        if (!isObject(field) || typeof field.name !== 'string' || !(field.name in value)) continue;
        const fieldValue = value[field.name];
        if (field.pii === true && fieldValue !== null && fieldValue !== undefined) {
          collect(fieldValue, personal);
          out[field.name] = MASK;
        } else {
          out[field.name] = this.walk(fieldValue, field.type as JsonValue, ns, personal);
        }
      }
      return out;
    }
    if (type.type === 'array' && Array.isArray(value)) return value.map((item) => this.walk(item, type.items as JsonValue, namespace, personal));
    if (type.type === 'map' && isObject(value)) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.walk(item, type.values as JsonValue, namespace, personal)]));
    }
    return value;
  }
}

/** The strings inside a personal value, to scrub them from texts too. */
function collect(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) collect(item, into);
  else if (isObject(value)) for (const item of Object.values(value)) collect(item, into);
}
