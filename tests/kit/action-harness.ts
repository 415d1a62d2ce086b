import type { EventFullName } from '../../catalogue/index.js';
import { ActionExecutor, asMappingFailure, type ExecutedCall } from '../../hub/runtime/action-executor.js';
import type { Action, ConnectorDefinition, ConnectorEvent, XrefIds, XrefKind } from '../../hub/sdk/index.js';
import { MemoryXref } from './memory-xref.js';
import { mappingContext } from './memory-xref.js';

/** What performing one event's actions did. */
export interface Performance {
  readonly actions: readonly Action[];
  /** Every HTTP call, with the target's answer, in order. */
  readonly calls: readonly ExecutedCall[];
  readonly xrefPuts: readonly { kind: XrefKind; ids: XrefIds }[];
  /** Produce actions, recorded with the event id the runtime gives them (not published: no Kafka here). */
  readonly produced: readonly { eventType: EventFullName; key: string; value: unknown; eventId: string }[];
}

/**
 * Maps `event` with `definition` and performs its actions against a real target at `baseUrl`
 * through the runtime's own ActionExecutor: the same idempotency keys (`<connector>:<ce_id>`,
 * `:<n>` for further calls), headers, `onResponse` follow-ups and classification of answers
 * (5xx and "not there yet" 4xx retriable, other 4xx rejected). Cross-references go to `xref`;
 * produced events are recorded instead of published. Rejects with what the runtime would
 * classify (MissingDependencyError, TargetRejectedError, MappingError, ...).
 *
 * For the whole delivery path (Kafka, retries, parking, dead letters) use a KitStack worker;
 * this harness is for checking one mapping against a real target quickly.
 *
 * @example
 * ```ts
 * const run = await performEvent(connector, testEvent('switchboard.crm.CustomerCreated', created), { baseUrl: erp.url });
 * expect(run.calls[0]?.response.status).toBe(201);
 * ```
 */
export async function performEvent(
  definition: ConnectorDefinition,
  event: ConnectorEvent,
  options: { baseUrl: string; xref?: MemoryXref; attempt?: number; timeoutMs?: number },
): Promise<Performance> {
  const xref = options.xref ?? new MemoryXref();
  let actions: readonly Action[];
  try {
    actions = await definition.map(event, mappingContext({ connector: definition.name, xref, attempt: options.attempt }));
  } catch (error) {
    throw asMappingFailure(error);
  }
  const calls: ExecutedCall[] = [];
  const xrefPuts: { kind: XrefKind; ids: XrefIds }[] = [];
  const produced: { eventType: EventFullName; key: string; value: unknown; eventId: string }[] = [];
  const done = new Set<string>();
  const executor = new ActionExecutor({
    http: 'system' in definition.target ? { baseUrl: options.baseUrl, timeoutMs: options.timeoutMs ?? 10_000 } : undefined,
    publish: async (action, _cause, eventId) => {
      produced.push({ eventType: action.eventType, key: action.key, value: action.value, eventId });
    },
    completed: { has: async (key) => done.has(key), add: async (key) => void done.add(key) },
    xref: {
      put: async (kind, ids) => {
        xrefPuts.push({ kind, ids });
        await xref.put(kind, ids);
      },
    },
  });
  await executor.execute(actions, event.metadata, `${definition.name}:${event.metadata.id}`, (call) => calls.push(call));
  return { actions, calls, xrefPuts, produced };
}
