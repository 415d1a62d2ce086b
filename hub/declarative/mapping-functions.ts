import { isSystemName, type Address, type SystemName } from '../../catalogue/index.js';
import { XREF_KINDS, addressBody, missingDependency, type MappingContext, type XrefKind, type XrefReader } from '../sdk/index.js';
import type { Bindings } from './expression.js';

/** The functions every expression of a declarative connector may call, besides JSONata's own. */
export const MAPPING_FUNCTIONS = Object.freeze(['xref', 'findXref', 'missing', 'address'] as const);

function xrefArguments(kind: unknown, from: unknown, id: unknown, to: unknown): [XrefKind, SystemName, string, SystemName] {
  if (!XREF_KINDS.includes(kind as XrefKind)) throw new TypeError(`cross-reference kind must be one of ${XREF_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  for (const system of [from, to]) {
    if (typeof system !== 'string' || !isSystemName(system)) throw new TypeError(`cross-reference systems are crm, erp or scm, got ${JSON.stringify(system)}`);
  }
  if ((typeof id !== 'string' || id === '') && typeof id !== 'number') throw new TypeError(`cross-reference id must be a string, got ${JSON.stringify(id)}`);
  return [kind as XrefKind, from as SystemName, String(id), to as SystemName];
}

/**
 * The bound functions of one event's mapping, over its context:
 *
 * - `$xref(kind, from, id, to)`: the id in `to` of the object known as `id` in `from`; when
 *   there is none yet, the event waits for it (missing dependency: retried, then parked).
 * - `$findXref(kind, from, id, to)`: the same, but nothing (undefined) when there is none.
 * - `$missing(reason)`: the event needs something not there yet (retried, never dropped).
 * - `$address(address, owner)`: an event Address as the services' bodies take it (the SDK's
 *   `addressBody`: no null `line2`; a country that is no ISO code refuses the event).
 *
 * JSONata's own `$error(message)` refuses the event for good (dead-lettered with the message).
 *
 * @example
 * ```yaml
 * let:
 *   account: $xref('customer', 'crm', value.customerId, 'erp')
 * ```
 */
export function mappingFunctions(ctx: MappingContext): Bindings {
  let functions = BY_READER.get(ctx.xref);
  if (!functions) {
    functions = Object.freeze(bind(ctx.xref));
    BY_READER.set(ctx.xref, functions);
  }
  return functions;
}

/** The functions depend only on the cross-reference reader, which a worker keeps: made once per reader, not per event. */
const BY_READER = new WeakMap<XrefReader, Bindings>();

function bind(reader: XrefReader): Bindings {
  const ctx = { xref: reader };
  return {
    xref: async (kind: unknown, from: unknown, id: unknown, to: unknown): Promise<string> => {
      const [k, f, i, t] = xrefArguments(kind, from, id, to);
      const found = await ctx.xref.get(k, f, i, t);
      if (found === undefined) throw missingDependency(`no ${t.toUpperCase()} id for ${f.toUpperCase()} ${k} ${i} yet`);
      return found;
    },
    findXref: async (kind: unknown, from: unknown, id: unknown, to: unknown): Promise<string | undefined> => ctx.xref.get(...xrefArguments(kind, from, id, to)),
    missing: (reason: unknown): never => {
      throw missingDependency(String(reason));
    },
    address: (address: unknown, owner: unknown): Record<string, string> => {
      if (typeof address !== 'object' || address === null) throw new TypeError(`$address needs an address, got ${JSON.stringify(address)}`);
      return addressBody(address as Address, String(owner));
    },
  };
}
