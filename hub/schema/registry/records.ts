import { z } from 'zod';
import { COMPATIBILITY_LEVELS, type CompatibilityLevel } from '../compatibility/index.js';

/**
 * The records of the `_schemas` log. Keys and values are JSON, shaped like Confluent's own
 * `_schemas` topic (keytype SCHEMA / CONFIG, value `{subject, version, id, schema, deleted}`),
 * so the log describes itself and tools that know Confluent's layout can read it. A null
 * value is a tombstone: the key is gone (permanent delete, config removed).
 */
export interface SchemaKey { readonly keytype: 'SCHEMA'; readonly subject: string; readonly version: number; readonly magic: 1 }
/** `subject: null` is the global configuration. */
export interface ConfigKey { readonly keytype: 'CONFIG'; readonly subject: string | null; readonly magic: 0 }
/**
 * Switchboard's addition: the highest schema id ever handed out, written before a permanent
 * delete so that compaction cannot make an id free for reuse by a different schema.
 */
export interface IdWatermarkKey { readonly keytype: 'ID_WATERMARK'; readonly magic: 0 }

export interface SchemaValue {
  readonly subject: string;
  readonly version: number;
  readonly id: number;
  readonly schema: string;
  readonly deleted: boolean;
}
export interface ConfigValue { readonly compatibilityLevel: CompatibilityLevel }
export interface IdWatermarkValue { readonly maxId: number }

export type RegistryRecord =
  | { readonly key: SchemaKey; readonly value: SchemaValue | null }
  | { readonly key: ConfigKey; readonly value: ConfigValue | null }
  | { readonly key: IdWatermarkKey; readonly value: IdWatermarkValue | null };

export const schemaKey = (subject: string, version: number): SchemaKey => ({ keytype: 'SCHEMA', subject, version, magic: 1 });
export const configKey = (subject: string | null): ConfigKey => ({ keytype: 'CONFIG', subject, magic: 0 });
export const idWatermarkKey = (): IdWatermarkKey => ({ keytype: 'ID_WATERMARK', magic: 0 });

const keySchema = z.discriminatedUnion('keytype', [
  z.object({ keytype: z.literal('SCHEMA'), subject: z.string(), version: z.number().int().positive() }),
  z.object({ keytype: z.literal('CONFIG'), subject: z.string().nullable().optional() }),
  z.object({ keytype: z.literal('ID_WATERMARK') }),
]);
const schemaValue = z.object({
  subject: z.string(),
  version: z.number().int().positive(),
  id: z.number().int().positive(),
  schema: z.string(),
  deleted: z.boolean().optional().default(false),
});
const configValue = z.object({ compatibilityLevel: z.enum(COMPATIBILITY_LEVELS) });
const watermarkValue = z.object({ maxId: z.number().int().nonnegative() });

/** The key as the log stores it: JSON with a fixed field order, so equal keys compact. */
export function encodeKey(key: RegistryRecord['key']): string {
  switch (key.keytype) {
    case 'SCHEMA':
      return JSON.stringify({ keytype: key.keytype, subject: key.subject, version: key.version, magic: key.magic });
    case 'CONFIG':
      return JSON.stringify({ keytype: key.keytype, subject: key.subject, magic: key.magic });
    case 'ID_WATERMARK':
      return JSON.stringify({ keytype: key.keytype, magic: key.magic });
  }
}

/** The value as the log stores it (null for a tombstone). */
export function encodeValue(record: RegistryRecord): string | null {
  return record.value === null ? null : JSON.stringify(record.value);
}

/**
 * Reads one log record back. Returns undefined for records this registry does not use
 * (Confluent's NOOP, MODE, DELETE_SUBJECT, or garbage), which are skipped, not fatal.
 */
export function decodeRecord(key: string, value: string | null): RegistryRecord | undefined {
  let parsedKey: z.infer<typeof keySchema>;
  let json: unknown;
  try {
    parsedKey = keySchema.parse(JSON.parse(key));
    json = value === null ? null : JSON.parse(value);
  } catch {
    return undefined;
  }
  switch (parsedKey.keytype) {
    case 'SCHEMA': {
      const k = schemaKey(parsedKey.subject, parsedKey.version);
      if (json === null) return { key: k, value: null };
      const v = schemaValue.safeParse(json);
      return v.success ? { key: k, value: v.data } : undefined;
    }
    case 'CONFIG': {
      const k = configKey(parsedKey.subject ?? null);
      if (json === null) return { key: k, value: null };
      const v = configValue.safeParse(json);
      return v.success ? { key: k, value: v.data } : undefined;
    }
    case 'ID_WATERMARK': {
      if (json === null) return { key: idWatermarkKey(), value: null };
      const v = watermarkValue.safeParse(json);
      return v.success ? { key: idWatermarkKey(), value: v.data } : undefined;
    }
  }
}
