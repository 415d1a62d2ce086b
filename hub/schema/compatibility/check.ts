import type avro from 'avsc';
import { explainIncompatibility, type Incompatibility } from './explain.js';
import { levelRules, type CompatibilityLevel } from './levels.js';

/** One earlier version of a subject, already parsed. */
export interface SchemaVersion {
  readonly version: number;
  readonly type: avro.Type;
}

/** The decision, with one message per reason (empty when compatible). */
export interface CompatibilityResult {
  readonly compatible: boolean;
  readonly messages: readonly string[];
}

/**
 * Decides whether `candidate` may follow `previous` (a subject's live versions, any order)
 * under `level`, with avsc's schema resolution:
 * - BACKWARD: the candidate reads data written with earlier versions (reader = candidate).
 * - FORWARD: earlier versions read data written with the candidate (reader = earlier).
 * - FULL: both. `_TRANSITIVE`: against every earlier version, otherwise the latest only.
 * - NONE: always compatible.
 *
 * Messages name the level, the field, its record and the broken rule, e.g.
 * `BACKWARD: field 'email' of record switchboard.crm.CustomerCreated was added without a
 * default, so data written with version 1 cannot be read`.
 *
 * @example
 * ```ts
 * const result = checkCompatibility(avro.Type.forSchema(next), [{ version: 1, type: avro.Type.forSchema(v1) }], 'BACKWARD');
 * if (!result.compatible) console.error(result.messages.join('\n'));
 * ```
 */
export function checkCompatibility(
  candidate: avro.Type,
  previous: readonly SchemaVersion[],
  level: CompatibilityLevel,
): CompatibilityResult {
  if (level === 'NONE' || previous.length === 0) return { compatible: true, messages: [] };
  const rules = levelRules(level);
  const ordered = [...previous].sort((a, b) => a.version - b.version);
  const against = rules.transitive ? ordered : ordered.slice(-1);
  const messages: string[] = [];
  for (const earlier of against) {
    if (rules.backward) {
      for (const reason of explainIncompatibility(candidate, earlier.type)) {
        messages.push(`${level}: ${backwardMessage(reason, earlier.version)}`);
      }
    }
    if (rules.forward) {
      for (const reason of explainIncompatibility(earlier.type, candidate)) {
        messages.push(`${level}: ${forwardMessage(reason, earlier.version)}`);
      }
    }
  }
  return { compatible: messages.length === 0, messages };
}

function where(reason: Incompatibility): string {
  if (reason.field === undefined) return 'the top-level schema';
  const nested = reason.path.includes('.') ? ` (at ${reason.path})` : '';
  return `field '${reason.field}' of record ${reason.record ?? '?'}${nested}`;
}

/** Reader = the new schema, writer = `version`. */
function backwardMessage(reason: Incompatibility, version: number): string {
  const consequence = `so data written with version ${version} cannot be read`;
  switch (reason.kind) {
    case 'field-missing-without-default':
      return `${where(reason)} was added without a default, ${consequence}`;
    case 'type-changed':
      return `${where(reason)} changed type from ${reason.writerType} (version ${version}) to ${reason.readerType}, which cannot read it, ${consequence}`;
    case 'enum-symbols-missing':
      return `enum ${reason.readerType} in ${where(reason)} dropped symbol(s) ${quoteAll(reason.items)} without an enum default, ${consequence}`;
    case 'union-branch-missing':
      return `the union in ${where(reason)} dropped branch(es) ${(reason.items ?? []).join(', ')}, ${consequence}`;
    case 'name-changed':
      return `${where(reason)} renamed type ${reason.writerType} (version ${version}) to ${reason.readerType} without an alias, ${consequence}`;
    case 'other':
      return `${reason.detail ?? 'schemas do not resolve'}, ${consequence}`;
  }
}

/** Reader = `version`, writer = the new schema. */
function forwardMessage(reason: Incompatibility, version: number): string {
  const consequence = `so version ${version} cannot read data written with the new schema`;
  switch (reason.kind) {
    case 'field-missing-without-default':
      return `${where(reason)} was removed but has no default in version ${version}, ${consequence}`;
    case 'type-changed':
      return `${where(reason)} changed type from ${reason.readerType} (version ${version}) to ${reason.writerType}, ${consequence}`;
    case 'enum-symbols-missing':
      return `enum ${reason.writerType} in ${where(reason)} added symbol(s) ${quoteAll(reason.items)} that version ${version} does not know and has no enum default for, ${consequence}`;
    case 'union-branch-missing':
      return `the union in ${where(reason)} added branch(es) ${(reason.items ?? []).join(', ')}, ${consequence}`;
    case 'name-changed':
      return `${where(reason)} renamed type ${reason.readerType} (version ${version}) to ${reason.writerType} without an alias, ${consequence}`;
    case 'other':
      return `${reason.detail ?? 'schemas do not resolve'}, ${consequence}`;
  }
}

function quoteAll(items: readonly string[] | undefined): string {
  return (items ?? []).map((item) => `'${item}'`).join(', ');
}
