import { SYSTEM_NAMES, type SystemName } from '../../catalogue/index.js';
import type { CrossReferences } from '../state/xref.js';
import { XREF_KINDS, type XrefIds, type XrefKind } from '../sdk/types.js';

/** One business object an id belongs to: its kind, the system that knows the id, and its ids in every system. */
export interface XrefMatch {
  readonly kind: XrefKind;
  readonly system: SystemName;
  readonly ids: XrefIds;
}

/**
 * Finds the business objects `id` names in any system: for each kind (or the one asked for) and
 * each system, the object known there as `id` and its ids elsewhere (CrossReferences.resolve).
 * Only ids linked to at least one other system count.
 *
 * @example
 * ```ts
 * await findCrossReferences(xref, 'C-1017');
 * // [{ kind: 'customer', system: 'crm', ids: { crm: 'C-1017', erp: '100045', scm: 'K-9' } }]
 * ```
 */
export async function findCrossReferences(xref: Pick<CrossReferences, 'resolve'>, id: string, kinds: readonly XrefKind[] = XREF_KINDS): Promise<XrefMatch[]> {
  const lookups = kinds.flatMap((kind) => SYSTEM_NAMES.map((system) => ({ kind, system })));
  const resolved = await Promise.all(lookups.map(async ({ kind, system }) => ({ kind, system, ids: await xref.resolve(kind, system, id) })));
  return resolved.filter((match) => Object.keys(match.ids).length > 1);
}
