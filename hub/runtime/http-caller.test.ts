import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callTarget } from './http-caller.js';
import { http } from '../sdk/actions.js';

const cause = { id: 'e-1', source: 'crm', type: 'crm.order.OrderPlaced', time: '', correlationId: 'O-1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

describe('callTarget', () => {
  let server: Server;
  let baseUrl: string;
  let seen: Record<string, string | string[] | undefined> = {};
  beforeAll(async () => {
    server = createServer((request, response) => {
      seen = request.headers;
      if (request.url === '/echo') {
        // A target that quotes the submitted body in its refusal, as third-party APIs do.
        let sent = '';
        request.on('data', (chunk: Buffer) => { sent += chunk.toString(); });
        request.on('end', () => {
          response.writeHead(400, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: { code: 'BAD', message: `cannot store ${sent}` } }));
        });
        return;
      }
      const status = Number(request.url?.slice(1, 4)) || 200;
      if (status === 999) return; // never answers
      response.writeHead(status, { 'content-type': 'application/json' });
      // `/404-not-yet` answers like a service whose dependency has not arrived yet.
      const notYet = request.url?.endsWith('-not-yet');
      response.end(JSON.stringify(notYet ? { error: { code: 'SWB_ERR_ERP_PRODUCT_NOT_FOUND', message: 'no product X yet', retriable: true } } : { status }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const call = (path: string, extra: object = {}) =>
    callTarget({ baseUrl, timeoutMs: 300, idempotencyKey: 'c:e-1', cause, action: http({ method: 'POST', path, body: { a: 1 }, ...extra }) });

  it('sends the idempotency key, correlation, causation and a child traceparent', async () => {
    await expect(call('/201')).resolves.toEqual({ status: 201, body: { status: 201 } });
    expect(seen['idempotency-key']).toBe('c:e-1');
    expect(seen['x-correlation-id']).toBe('O-1');
    expect(seen['x-causation-id']).toBe('e-1');
    expect(seen.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    expect(seen.traceparent).not.toContain('b7ad6b7169203331');
  });

  it('classifies: 5xx, 429, timeouts and refused connections retriable; other 4xx not', async () => {
    await expect(call('/503')).rejects.toMatchObject({ code: 'SWB_ERR_RUNTIME_TARGET_UNAVAILABLE', retriable: true, status: 503 });
    await expect(call('/429')).rejects.toMatchObject({ retriable: true });
    await expect(call('/999')).rejects.toMatchObject({ retriable: true, message: expect.stringContaining('timed out') });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(callTarget({ baseUrl: `http://127.0.0.1:${closedPort}`, timeoutMs: 300, idempotencyKey: 'k', cause, action: http({ method: 'GET', path: '/' }) })).rejects.toMatchObject({
      retriable: true,
      message: expect.stringContaining('ECONNREFUSED'),
    });
    await expect(call('/404')).rejects.toMatchObject({ code: 'SWB_ERR_RUNTIME_TARGET_REJECTED', retriable: false, status: 404 });
    await expect(call('/422')).rejects.toMatchObject({ retriable: false, body: { status: 422 } });
  });

  it('treats a 4xx the target marks retriable (a dependency not there yet) as retriable', async () => {
    await expect(call('/404-not-yet')).rejects.toMatchObject({ code: 'SWB_ERR_RUNTIME_MISSING_DEPENDENCY', retriable: true, message: expect.stringContaining('no product X yet') });
  });

  it('sends the connector\'s credential, and retries a 401 or 403 (configuration, not the event) with a message that says what to fix', async () => {
    await callTarget({ baseUrl, timeoutMs: 300, idempotencyKey: 'k', cause, authorization: 'Bearer swb_test', action: http({ method: 'POST', path: '/201', body: {} }) });
    expect(seen.authorization).toBe('Bearer swb_test');
    await call('/201');
    expect(seen.authorization).toBeUndefined();
    await expect(call('/401')).rejects.toMatchObject({ code: 'SWB_ERR_RUNTIME_TARGET_UNAUTHORIZED', retriable: true, status: 401, message: expect.stringContaining('no credential in SWITCHBOARD_CREDENTIALS') });
    await expect(call('/403')).rejects.toMatchObject({ code: 'SWB_ERR_RUNTIME_TARGET_UNAUTHORIZED', retriable: true, status: 403 });
  });

  it('gives up at once on a request that can never be sent, such as a non-ASCII correlation id', async () => {
    const accented = { ...cause, correlationId: 'Bestellung-注文-1' };
    const failure = callTarget({ baseUrl, timeoutMs: 300, idempotencyKey: 'k', cause: accented, action: http({ method: 'POST', path: '/201', body: {} }) });
    await expect(failure).rejects.toMatchObject({ code: 'SWB_ERR_RUNTIME_REQUEST_UNSENDABLE', retriable: false, message: expect.stringContaining('invalid x-correlation-id header') });
  });

  it('never quotes a submitted personal value from the target\'s answer', async () => {
    const body = { name: 'Quillon Vexmoor', email: 'q.vexmoor@mail.example', phone: '+44 20 7946 0958', billingAddress: { line1: '77 Larkspur Lane', city: 'Dunmere' }, segment: 'SMB' };
    const failure = await callTarget({ baseUrl, timeoutMs: 300, idempotencyKey: 'k', cause, action: http({ method: 'PUT', path: '/echo', body }) }).catch((error: Error) => error);
    expect(failure).toMatchObject({ code: 'SWB_ERR_RUNTIME_TARGET_REJECTED', message: expect.stringContaining('cannot store') });
    for (const value of ['Quillon', 'Vexmoor', 'q.vexmoor@mail.example', '7946 0958', 'Larkspur', 'Dunmere']) expect((failure as Error).message).not.toContain(value);
    expect((failure as Error).message).toContain('SMB');
  });

  it('accepts statuses the action lists as applied', async () => {
    await expect(call('/409', { okStatuses: [409] })).resolves.toMatchObject({ status: 409 });
  });

  it("sends the action's own headers, but never lets them replace the runtime's", async () => {
    await call('/200', { headers: { 'X-Api-Version': '2', 'Idempotency-Key': 'mine', Traceparent: 'mine' } });
    expect(seen['x-api-version']).toBe('2');
    expect(seen['idempotency-key']).toBe('c:e-1');
    expect(seen.traceparent).not.toBe('mine');
  });

  it("lets the action's classify judge an answer before the defaults, 2xx included", async () => {
    const classify = async ({ status, body }: { status: number; body: unknown }) =>
      status === 409 ? 'retriable' as const : status === 503 || (body as { status?: number }).status === 202 ? 'final' as const : undefined;
    await expect(call('/409', { classify })).rejects.toMatchObject({ code: 'SWB_ERR_RUNTIME_TARGET_UNAVAILABLE', retriable: true, status: 409 });
    await expect(call('/503', { classify })).rejects.toMatchObject({ code: 'SWB_ERR_RUNTIME_TARGET_REJECTED', retriable: false, status: 503 });
    await expect(call('/202', { classify })).rejects.toMatchObject({ retriable: false, message: expect.stringContaining('final by the connector') });
    // No verdict: the defaults.
    await expect(call('/201', { classify })).resolves.toMatchObject({ status: 201 });
    await expect(call('/429', { classify })).rejects.toMatchObject({ retriable: true });
  });
});
