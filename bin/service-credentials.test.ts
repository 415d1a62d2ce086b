/**
 * The scope table against what it describes: every connector with an HTTP target has an entry,
 * each scope names a write route of its system (from the services' route tables), and every
 * write a connector's mapping makes, for every event type it handles, is covered by its scopes.
 */
import { EXAMPLE_EVENTS } from '../schemas/examples.js';
import { CONNECTORS } from '../connectors/index.js';
import { SYSTEM_NAMES, type EventFullName, type SystemName } from '../catalogue/index.js';
import { isWriteMethod, routeScope, scopeProblem } from '../hub/auth/index.js';
import type { Action, HttpAction, XrefReader } from '../hub/sdk/index.js';
import { serviceRoutes, type ServiceRoute } from '../hub/service/index.js';
import { mappingContext, testEvent } from '../tests/kit/index.js';
import { SERVICE_APPS } from '../services/index.js';
import { CONNECTOR_SCOPES, OPERATOR_PRINCIPAL, servicePrincipals } from './service-credentials.js';

/** A domain event of the catalogue (connectors calling a system read only those; CDC sources have no example). */
const isCatalogueEvent = (type: string): type is EventFullName => type in EXAMPLE_EVENTS;

/** An xref that knows every object: mappings go as far as their calls. */
const everything: XrefReader = { get: async (_kind, _from, id) => `X-${id}` };

const routes = new Map<SystemName, readonly ServiceRoute[]>();
beforeAll(async () => {
  for (const system of SYSTEM_NAMES) {
    const { app } = await (await SERVICE_APPS[system]())({ dbPath: ':memory:', docsUi: false });
    await app.ready();
    routes.set(system, serviceRoutes(app));
    await app.close();
  }
});

/** The route of `system` that serves `method path`, matched against the route patterns. */
function routeOf(system: SystemName, method: string, path: string): ServiceRoute | undefined {
  const bare = path.split('?')[0];
  return (routes.get(system) ?? []).find((route) => route.method === method && new RegExp(`^${route.url.replace(/:[A-Za-z]+/g, '[^/]+')}$`).test(bare));
}

/** Every HTTP action a mapping returns for `type`'s example event, with the follow-ups of a 200 `{}` answer. */
async function callsFor(connector: (typeof CONNECTORS)[number], type: EventFullName): Promise<HttpAction[]> {
  let actions: readonly Action[];
  try {
    actions = await connector.map(testEvent(type, EXAMPLE_EVENTS[type]), mappingContext({ connector: connector.name, xref: everything }));
  } catch {
    return []; // the example does not suit this mapping (it refuses or waits): other event types cover it
  }
  const calls: HttpAction[] = [];
  for (const action of actions) {
    if (action.kind !== 'http') continue;
    calls.push(action);
    try {
      for (const next of (await action.onResponse?.({ status: 200, body: {} })) ?? []) if (next.kind === 'http') calls.push(next);
    } catch {
      // A follow-up that needs a real answer: its write is covered by the e2e tests, which run with these scopes.
    }
  }
  return calls;
}

describe('bin/service-credentials.ts', () => {
  const http = CONNECTORS.filter((connector) => 'system' in connector.target);

  it('lists every connector that calls a system, and nothing else', () => {
    expect(Object.keys(CONNECTOR_SCOPES).sort()).toEqual(http.map((connector) => connector.name).sort());
    expect(servicePrincipals(http.map((c) => c.name)).map((p) => p.name)).toEqual([...http.map((c) => c.name), OPERATOR_PRINCIPAL.name]);
  });

  it('names only well-formed scopes of write routes of the connector\'s own target system', () => {
    for (const connector of http) {
      const system = (connector.target as { system: SystemName }).system;
      for (const scope of CONNECTOR_SCOPES[connector.name] ?? []) {
        expect({ scope, problem: scopeProblem(scope) }).toEqual({ scope, problem: undefined });
        const known = (routes.get(system) ?? []).filter((route) => route.write).map((route) => routeScope(system, route.method, route.url));
        expect({ connector: connector.name, scope, known: known.includes(scope) }).toEqual({ connector: connector.name, scope, known: true });
      }
    }
  });

  it('covers every write each connector\'s mapping makes, for every event type it handles', async () => {
    for (const connector of http) {
      const system = (connector.target as { system: SystemName }).system;
      const writes = (await Promise.all(connector.source.eventTypes.filter(isCatalogueEvent).map((type) => callsFor(connector, type)))).flat().filter((call) => isWriteMethod(call.method));
      expect({ connector: connector.name, writes: writes.length > 0 }).toEqual({ connector: connector.name, writes: true });
      for (const call of writes) {
        const route = routeOf(system, call.method, call.path);
        expect({ connector: connector.name, call: `${call.method} ${call.path}`, routed: route !== undefined }).toEqual({ connector: connector.name, call: `${call.method} ${call.path}`, routed: true });
        const scope = routeScope(system, call.method, route?.url ?? '');
        expect({ connector: connector.name, scope, granted: CONNECTOR_SCOPES[connector.name]?.includes(scope) }).toEqual({ connector: connector.name, scope, granted: true });
      }
    }
  });
});
