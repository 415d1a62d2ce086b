import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createCrmApp } from '../../services/crm/app.js';
import { rowCounts } from '../../tests/kit/row-counts.js';
import type { ServiceApp } from './index.js';

const customer = { name: 'Acme GmbH', email: 'buyer@acme.example', segment: 'SMB', billingAddress: { line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' } };

/** Sends raw bytes (fetch and node's client refuse non-Latin-1 header values): what any client may put on the wire. */
function rawPost(port: number, path: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => { text += chunk.toString('utf8'); });
    socket.on('end', () => resolve({ status: Number(text.slice(9, 12)), body: text.slice(text.indexOf('\r\n\r\n') + 4) }));
    socket.on('error', reject);
    const lines = Object.entries({ host: 'localhost', 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}`);
    socket.end(Buffer.from(`POST ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${body}`, 'utf8'));
  });
}

describe('command headers at the edge', () => {
  let crm: ServiceApp;
  let port: number;
  beforeAll(async () => {
    crm = await createCrmApp({ dbPath: ':memory:', docsUi: false });
    await crm.app.listen({ port: 0, host: '127.0.0.1' });
    port = (crm.app.server.address() as AddressInfo).port;
  });
  afterAll(() => crm.app.close());

  it('refuses a correlation or causation id that could not travel on as a header, naming it, and writes nothing', async () => {
    const before = rowCounts(crm.db);
    for (const [header, value] of [['x-correlation-id', 'Bestellung-注文-1'], ['x-correlation-id', 'Ãrder 1'], ['x-causation-id', 'evt 1'], ['x-correlation-id', 'x'.repeat(201)]]) {
      const answer = await rawPost(port, '/customers', { [header]: value }, JSON.stringify(customer));
      expect({ header, value, status: answer.status }).toEqual({ header, value, status: 400 });
      expect(JSON.parse(answer.body)).toEqual({ error: expect.objectContaining({ field: header, message: expect.stringContaining(`header ${header} must be 1–200 visible ASCII characters`) }) });
    }
    const key = await rawPost(port, '/customers', { 'idempotency-key': 'schlüssel-ключ' }, JSON.stringify(customer));
    expect(JSON.parse(key.body)).toEqual({ error: expect.objectContaining({ code: 'SWB_ERR_IDEMPOTENCY_KEY_INVALID', field: 'Idempotency-Key' }) });
    expect(rowCounts(crm.db)).toEqual(before);
  });

  it('keeps a valid traceparent and drops a malformed one (W3C: start a new trace) instead of storing it', async () => {
    const valid = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    expect((await rawPost(port, '/customers', { traceparent: valid, 'x-correlation-id': 'FLOW-1' }, JSON.stringify(customer))).status).toBe(201);
    expect((await rawPost(port, '/customers', { traceparent: '00-zz-😀-01' }, JSON.stringify({ ...customer, email: 'other@acme.example' }))).status).toBe(201);
    const rows = crm.db.prepare('SELECT correlation_id, traceparent FROM outbox ORDER BY seq').all();
    // The stored context is the event's create span: in the caller's trace for a valid header, in a
    // new trace for a malformed one (never the malformed text itself).
    const [kept, dropped] = rows as { correlation_id: string; traceparent: string }[];
    expect(kept).toMatchObject({ correlation_id: 'FLOW-1', traceparent: expect.stringMatching(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/) });
    expect(dropped.correlation_id).toBe('C-2');
    expect(dropped.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    expect(dropped.traceparent).not.toContain('0af7651916cd43dd8448eb211c80319c');
  });

  it('documents the command headers on every write route of the OpenAPI document', async () => {
    const openapi = (await (await fetch(`http://127.0.0.1:${port}/openapi.json`)).json()) as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>> };
    const post = openapi.paths['/customers']?.post;
    expect(post?.parameters?.filter((p) => p.in === 'header').map((p) => p.name).sort()).toEqual(['idempotency-key', 'traceparent', 'x-causation-id', 'x-correlation-id']);
    expect(openapi.paths['/customers']?.get?.parameters?.some((p) => p.in === 'header') ?? false).toBe(false);
  });
});
