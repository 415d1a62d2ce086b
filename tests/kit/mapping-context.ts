import type { MappingContext, SystemName, XrefIds, XrefKind, XrefReader } from '../../hub/sdk/types.js';

/**
 * Cross-references held in memory, for unit tests of mappings (no Redis).
 *
 * @example
 * ```ts
 * const ctx = mappingContext({ xref: memoryXref([['customer', { crm: 'C-1017', erp: '100045' }]]) });
 * const actions = await connector.map(event, ctx);
 * ```
 */
export function memoryXref(entries: readonly (readonly [XrefKind, XrefIds])[] = []): XrefReader {
  return {
    async get(kind: XrefKind, from: SystemName, id: string, to: SystemName) {
      const found = entries.find(([k, ids]) => k === kind && ids[from] === id && ids[to] !== undefined);
      return found?.[1][to];
    },
  };
}

/** A MappingContext for unit tests of a mapping. */
export function mappingContext(overrides: Partial<MappingContext> = {}): MappingContext {
  return { connector: 'test', attempt: 1, xref: memoryXref(), ...overrides };
}
