import { SYSTEM_NAMES, eventEntry, isEventFullName, keyOf, type EventFullName, type EventTypeMap, type SystemName } from '../../../catalogue/index.js';
import { eventSchema } from '../../../schemas/schema-catalog.js';
import { isSwitchboardError } from '../../errors/index.js';
import { classifyFailure } from '../../runtime/errors.js';
import type { Action, ConnectorDefinition, ConnectorEvent, HttpResponse, XrefIds, XrefKind, XrefReader } from '../../sdk/index.js';
import { ScaffoldError } from './scaffold.js';

/** Cross-references given to a dry run: `[{ "kind": "customer", "ids": { "crm": "C-1", "erp": "100045" } }]`. */
export interface XrefLink {
  readonly kind: XrefKind;
  readonly ids: XrefIds;
}

/**
 * Cross-references from a file, for dry runs: a lookup finds the link of `kind` holding `id` in
 * `from`, and answers its id in `to` (or through a link of the third system, as the runtime's
 * CrossReferences do).
 */
class GivenXrefs implements XrefReader {
  constructor(private readonly links: readonly XrefLink[]) {}

  async get(kind: XrefKind, from: SystemName, id: string, to: SystemName): Promise<string | undefined> {
    const linked = (f: SystemName, i: string, t: SystemName) => this.links.find((link) => link.kind === kind && link.ids[f] === i && link.ids[t])?.ids[t];
    const direct = linked(from, id, to);
    if (direct !== undefined) return direct;
    const via = SYSTEM_NAMES.find((system) => system !== from && system !== to) as SystemName;
    const middle = linked(from, id, via);
    return middle === undefined ? undefined : linked(via, middle, to);
  }
}

/** The event of a dry run: `{ type, value, key?, metadata? }`, or a bare value when the connector handles one event type. */
function eventFrom(definition: ConnectorDefinition, input: unknown): ConnectorEvent {
  const given = (input ?? {}) as { type?: unknown; value?: unknown; key?: unknown; metadata?: Record<string, unknown> };
  const wrapped = typeof given.type === 'string' && isEventFullName(given.type) && typeof given.value === 'object';
  const [only] = definition.source.eventTypes;
  if (!wrapped && definition.source.eventTypes.length !== 1) {
    throw new ScaffoldError(`${definition.name} handles ${definition.source.eventTypes.join(', ')}: give the event as { "type": ..., "value": ... }`);
  }
  const type = (wrapped ? given.type : only) as EventFullName;
  const value = (wrapped ? given.value : input) as EventTypeMap[typeof type];
  if (!definition.source.eventTypes.includes(type)) throw new ScaffoldError(`${definition.name} does not handle ${type} (the runtime skips it); it handles ${definition.source.eventTypes.join(', ')}`);
  const problems: string[] = [];
  eventSchema(type).type.isValid(value, { errorHook: (path, found) => problems.push(`${path.join('.') || '(value)'}: ${JSON.stringify(found) ?? 'missing'}`) });
  if (problems.length > 0) throw new ScaffoldError(`the value is not a valid ${type}: ${problems.join('; ')}`);
  const key = typeof given.key === 'string' ? given.key : keyOf(type, value);
  const entry = eventEntry(type);
  const metadata = { id: 'dry-run', source: entry.system, type: entry.ceType, time: new Date().toISOString(), correlationId: key, ...(wrapped ? given.metadata : {}) };
  return { type, value, key, metadata } as unknown as ConnectorEvent;
}

/** An action as printed: its data, and for an HTTP action what the given answer leads to. */
async function describe(action: Action, response: HttpResponse | undefined): Promise<unknown> {
  if (action.kind !== 'http') return action;
  const { classify, onResponse, ...data } = action;
  if (!response) return { ...data, ...(onResponse ? { onResponse: 'reads the answer: give one with --response to see what follows' } : {}) };
  const verdict = (await classify?.(response)) ?? 'defaults';
  const followUps = onResponse ? await Promise.all((await onResponse(response)).map((next) => describe(next, undefined))) : [];
  return { ...data, answer: { ...response, judged: verdict }, then: followUps };
}

/**
 * `switchboard connector test`: what the connector's mapping would do with one event, with no
 * side effects: the actions as JSON; with a `response`, what each HTTP action's answer rules say
 * about it and the actions that follow it. A failure of the mapping is printed as its class
 * (`{ error: { code, retriable, message } }`), as the runtime would classify it.
 *
 * @example
 * ```ts
 * await dryRun(definition, { type: 'switchboard.crm.CustomerCreated', value }, [], { status: 201, body: { id: 'K-9' } });
 * ```
 */
export async function dryRun(definition: ConnectorDefinition, input: unknown, xrefs: readonly XrefLink[], response?: HttpResponse): Promise<{ readonly ok: boolean; readonly output: unknown }> {
  const event = eventFrom(definition, input);
  try {
    const actions = await definition.map(event, { connector: definition.name, attempt: 1, xref: new GivenXrefs(xrefs) });
    return { ok: true, output: await Promise.all(actions.map((action) => describe(action, response))) };
  } catch (error) {
    if (!isSwitchboardError(error) && !(error instanceof Error)) throw error;
    const { code, retriable, message } = classifyFailure(error);
    return { ok: false, output: { error: { code, retriable, message } } };
  }
}
