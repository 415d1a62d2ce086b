/**
 * Every write route of every service, from the services' own route tables, refuses a caller
 * without a credential (401), with an unknown one (401) and with one that lacks the route's
 * scope (403), with the catalogue's codes, a message naming what is missing and nothing written;
 * the principals that hold the scope get through. Reads and the operational routes stay open.
 */
import { SYSTEM_NAMES, type SystemName } from '../catalogue/index.js';
import { CONNECTOR_SCOPES } from '../bin/service-credentials.js';
import { TokenVerifier, newToken, scopeAllows, type ServiceAuth } from '../hub/auth/index.js';
import { serviceRoutes, type ServiceApp, type ServiceRoute } from '../hub/service/index.js';
import { httpClient, type TestRequest, type TestResponse } from '../tests/kit/app-client.js';
import { kitCredentials } from '../tests/kit/credentials.js';
import { rowCounts } from '../tests/kit/row-counts.js';
import { SERVICE_APPS } from './index.js';

const nobody = newToken();
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function authWith(reads: 'open' | 'required'): ServiceAuth {
  const { file } = kitCredentials();
  return { mode: 'required', reads, verifier: TokenVerifier.fromFile({ principals: { ...file.principals, nobody: { token: nobody, scopes: [] } } }) };
}

/** A concrete path of a route pattern: `/orders/:id/confirm` → `/orders/X-1/confirm`. */
const concrete = (route: ServiceRoute): string => route.url.replace(/:[A-Za-z]+/g, 'X-1');

async function started(system: SystemName, reads: 'open' | 'required'): Promise<{ service: ServiceApp; call: (request: TestRequest) => Promise<TestResponse> }> {
  const service = await (await SERVICE_APPS[system]())({ dbPath: ':memory:', docsUi: false, auth: authWith(reads) });
  return { service, call: await httpClient(service.app) };
}

describe.each(SYSTEM_NAMES)('the %s API with SERVICE_AUTH=required', (system) => {
  let service: ServiceApp;
  let call: (request: TestRequest) => Promise<TestResponse>;
  beforeAll(async () => ({ service, call } = await started(system, 'open')));
  afterAll(() => service.app.close());

  const writes = () => serviceRoutes(service.app).filter((route) => route.write);
  const reads = () => serviceRoutes(service.app).filter((route) => !route.write);

  it('has write routes in its route table', () => {
    expect(writes().length).toBeGreaterThan(3);
  });

  it('answers 401 to a write without a credential or with an unknown one, and 403 without the scope; nothing is written', async () => {
    const before = rowCounts(service.db);
    for (const route of writes()) {
      const request = { method: route.method, url: concrete(route), payload: {} };
      const what = `${route.method} ${route.url}`;

      const missing = await call(request);
      expect({ what, status: missing.statusCode, code: missing.json().error.code }).toEqual({ what, status: 401, code: 'SWB_ERR_AUTH_CREDENTIAL_MISSING' });
      expect(missing.json().error.message).toContain(`${what} needs a credential`);
      expect(missing.headers['www-authenticate']).toMatch(/^Bearer realm=/);

      const unknown = await call({ ...request, headers: bearer(newToken()) });
      expect({ what, status: unknown.statusCode, code: unknown.json().error.code }).toEqual({ what, status: 401, code: 'SWB_ERR_AUTH_CREDENTIAL_UNKNOWN' });

      const unscoped = await call({ ...request, headers: bearer(nobody) });
      expect({ what, status: unscoped.statusCode, code: unscoped.json().error.code }).toEqual({ what, status: 403, code: 'SWB_ERR_AUTH_SCOPE_MISSING' });
      expect(unscoped.json().error.message).toBe(`nobody has no scope "${system}:${what}"`);
    }
    expect(rowCounts(service.db)).toEqual(before);
  });

  it('lets through the connectors whose scope names the route, and the operator; refuses every other connector with 403', async () => {
    const { callers, operatorAuthorization } = kitCredentials();
    for (const route of writes()) {
      const what = `${route.method} ${route.url}`;
      const operator = await call({ method: route.method, url: concrete(route), payload: {}, headers: { authorization: operatorAuthorization } });
      expect({ what, refused: [401, 403].includes(operator.statusCode) }).toEqual({ what, refused: false });
      for (const [connector, scopes] of Object.entries(CONNECTOR_SCOPES)) {
        const answer = await call({ method: route.method, url: concrete(route), payload: {}, headers: { authorization: callers.authorization(connector) as string } });
        const allowed = scopeAllows(scopes, system, route.method, route.url);
        expect({ what, connector, refused: answer.statusCode === 403 }).toEqual({ what, connector, refused: !allowed });
      }
    }
  });

  it('keeps reads, health, readiness and the OpenAPI document open, and documents the bearer scheme on writes', async () => {
    for (const route of reads()) {
      const answer = await call({ method: 'GET', url: concrete(route) });
      expect({ route: route.url, status: answer.statusCode }).not.toEqual({ route: route.url, status: 401 });
    }
    for (const url of ['/healthz', '/readyz', '/openapi.json']) expect((await call({ method: 'GET', url })).statusCode).toBe(200);
    const openapi = (await call({ method: 'GET', url: '/openapi.json' })).json();
    expect(openapi.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const route of writes()) {
      const operation = openapi.paths[route.url.replace(/:([A-Za-z]+)/g, '{$1}')][route.method.toLowerCase()];
      expect({ route: route.url, security: operation.security, refusals: Object.keys(operation.responses) }).toEqual({
        route: route.url, security: [{ bearerAuth: [] }], refusals: expect.arrayContaining(['401', '403']),
      });
    }
  });
});

describe('SERVICE_AUTH_READS=required', () => {
  it('asks reads for a valid credential, of any principal', async () => {
    const { service, call } = await started('erp', 'required');
    try {
      expect((await call({ method: 'GET', url: '/products' })).statusCode).toBe(401);
      expect((await call({ method: 'GET', url: '/products', headers: bearer(newToken()) })).statusCode).toBe(401);
      expect((await call({ method: 'GET', url: '/products', headers: bearer(nobody) })).statusCode).toBe(200);
      expect((await call({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await service.app.close();
    }
  });
});
