import { SYSTEM_NAMES, type SystemName } from '../../catalogue/index.js';
import type { MappingContext, XrefIds, XrefKind, XrefReader } from '../../hub/sdk/index.js';

/**
 * Cross-references held in memory, for tests of mappings without Redis. A lookup answers
 * `undefined` until the ids are linked, and may go through the third system, as the runtime's
 * cross-references do.
 *
 * @example
 * ```ts
 * const xref = new MemoryXref([['customer', { crm: 'C-1017', erp: '100045' }]]);
 * await xref.get('customer', 'crm', 'C-1017', 'erp'); // '100045'
 * ```
 */
export class MemoryXref implements XrefReader {
  private readonly links: { kind: XrefKind; ids: XrefIds }[] = [];

  constructor(entries: readonly (readonly [XrefKind, XrefIds])[] = []) {
    for (const [kind, ids] of entries) this.links.push({ kind, ids: { ...ids } });
  }

  async put(kind: XrefKind, ids: XrefIds): Promise<void> {
    this.links.push({ kind, ids: { ...ids } });
  }

  async get(kind: XrefKind, from: SystemName, id: string, to: SystemName): Promise<string | undefined> {
    if (from === to) return id;
    const direct = this.links.find((link) => link.kind === kind && link.ids[from] === id && link.ids[to]);
    if (direct) return direct.ids[to];
    for (const via of SYSTEM_NAMES.filter((system) => system !== from && system !== to)) {
      const middle = this.links.find((link) => link.kind === kind && link.ids[from] === id && link.ids[via])?.ids[via];
      const found = middle === undefined ? undefined : this.links.find((link) => link.kind === kind && link.ids[via] === middle && link.ids[to])?.ids[to];
      if (found !== undefined) return found;
    }
    return undefined;
  }
}

/**
 * The context a mapping gets, for unit tests: a MemoryXref unless one is given.
 *
 * @example
 * ```ts
 * const actions = await connector.map(event, mappingContext({ xref: new MemoryXref([['customer', { crm: 'C-1', erp: '100045' }]]) }));
 * ```
 */
export function mappingContext(options: { connector?: string; xref?: XrefReader; attempt?: number } = {}): MappingContext {
  return { connector: options.connector ?? 'test', attempt: options.attempt ?? 1, xref: options.xref ?? new MemoryXref() };
}
