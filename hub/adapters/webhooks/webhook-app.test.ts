import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ERRORS } from '../../errors/index.js';
import { createLogger } from '../../log/logger.js';
import { PROJECT_ROOT } from '../../config/project-root.js';
import { formatProblem } from '../../declarative/source-file.js';
import { buildWebhookApp } from './webhook-app.js';
import { loadWebhookSources, readWebhookSource, WebhookSourceInvalidError } from './webhook-source.js';
import { webhookSourceSchemaIsStale } from './webhook-source-schema.js';
import { WebhookStore } from './webhook-store.js';
import { signDelivery } from './signature.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const FIXTURES = join(PROJECT_ROOT, 'tests', 'fixtures', 'webhooks');
const order = (number: string, overrides: Record<string, unknown> = {}) => ({
  type: 'order.created',
  data: {
    order_number: number, customer_ref: 'C-1017', items: [{ sku: 'SKU-CHAIR-01', qty: 2 }],
    shipping_address: { street: 'Hafenstraße 1', city: 'Bremen', zip: '28195', country: 'DE' }, created_at: '2026-01-01T12:00:00Z', ...overrides,
  },
});

describe('the webhook endpoint', () => {
  let app: FastifyInstance;
  let store: WebhookStore;

  beforeEach(async () => {
    store = new WebhookStore(':memory:');
    const sources = loadWebhookSources(FIXTURES, { WEBHOOK_SHOP_SECRET: SECRET });
    app = await buildWebhookApp({ sources, store, logger: createLogger('webhooks-test', { level: 'silent' }) });
  });
  afterEach(async () => {
    await app.close();
    store.close();
  });

  const deliver = (payload: unknown, options: { id?: string; timestamp?: number; secret?: string; raw?: string } = {}) => {
    const body = options.raw ?? JSON.stringify(payload);
    const headers = signDelivery({ scheme: 'standard-webhooks' }, options.secret ?? SECRET, body, { id: options.id ?? `msg_${Math.random()}`, timestamp: options.timestamp });
    return app.inject({ method: 'POST', url: '/webhooks/shop', headers: { ...headers, 'content-type': 'application/json' }, payload: body });
  };
  const stored = () => store.outbox.readUnsent(100);

  it('stores a signed delivery as its catalogue event in the outbox before answering 202', async () => {
    const answer = await deliver(order('1001'), { id: 'msg_1001' });
    expect(answer.statusCode).toBe(202);
    const [row] = stored();
    expect(answer.json()).toEqual({ accepted: true, eventId: row.eventId, eventType: 'switchboard.crm.OrderPlaced', key: 'SHOP-1001' });
    expect(row).toMatchObject({ system: 'crm', aggregate: 'order', eventType: 'OrderPlaced', key: 'SHOP-1001', correlationId: 'SHOP-1001' });
    expect(JSON.parse(row.payload)).toEqual({
      orderId: 'SHOP-1001', customerId: 'C-1017', lines: [{ sku: 'SKU-CHAIR-01', quantity: 2, unitPrice: null, lineTotal: null }],
      shipTo: { line1: 'Hafenstraße 1', line2: null, city: 'Bremen', postalCode: '28195', country: 'DE' }, placedAt: Date.parse('2026-01-01T12:00:00Z'),
    });
  });

  it('stores a repeated delivery once and answers it with the first event id', async () => {
    const first = await deliver(order('1002'), { id: 'msg_1002' });
    const again = await deliver(order('1002'), { id: 'msg_1002' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ duplicate: true, eventId: first.json().eventId });
    expect(stored()).toHaveLength(1);
  });

  it('refuses a wrong signature and a replay outside the tolerance with 401, storing nothing', async () => {
    const forged = await deliver(order('1003'), { secret: 'whsec_AAAA9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe(ERRORS.WEBHOOK_SIGNATURE_INVALID.code);
    const replayed = await deliver(order('1003'), { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(replayed.statusCode).toBe(401);
    expect(replayed.json().error.code).toBe(ERRORS.WEBHOOK_TIMESTAMP_OUTSIDE_TOLERANCE.code);
    expect(stored()).toEqual([]);
  });

  it('answers a body that is not JSON with 400 and a payload that breaks the source\'s schema with 422 naming the field', async () => {
    const notJson = await deliver(undefined, { raw: '{"type": "order.created",' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe(ERRORS.WEBHOOK_BODY_NOT_JSON.code);
    const noItems = await deliver({ type: 'order.created', data: { ...order('1004').data, items: undefined } });
    expect(noItems.statusCode).toBe(422);
    expect(noItems.json().error).toMatchObject({ code: ERRORS.WEBHOOK_PAYLOAD_INVALID.code, field: 'payload.data.items', message: 'payload.data.items is required' });
    const zero = await deliver(order('1004', { items: [{ sku: 'SKU-1', qty: 0 }] }));
    expect(zero.json().error.field).toBe('payload.data.items.0.qty');
    expect(stored()).toEqual([]);
  });

  it('acknowledges a payload no case maps without storing an event, and 404s an unknown source', async () => {
    const refund = await deliver({ type: 'order.refunded', data: order('1005').data });
    expect(refund.statusCode).toBe(200);
    expect(refund.json()).toEqual({ ignored: true });
    expect(stored()).toEqual([]);
    const unknown = await app.inject({ method: 'POST', url: '/webhooks/erp', payload: '{}' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe(ERRORS.WEBHOOK_UNKNOWN_SOURCE.code);
  });
});

describe('webhook source files', () => {
  const head = ['name: test', 'description: a source of the tests'];
  const problems = (...lines: string[]) => readWebhookSource('/x/test.yaml', [...head, ...lines].join('\n')).problems.map((p) => `${p.line} ${p.path}: ${p.message}`);

  it('reports problems at their lines: schema, the scheme\'s fields, JSONata syntax, the delivery id', () => {
    expect(problems('signature: { scheme: hmac-sha256, header: X-Sig }', 'deliveryId: { header: X-Id }', 'events: [{ eventType: switchboard.crm.OrderPlaced, value: payload }]')).toEqual([
      '3 signature: the hmac-sha256 scheme needs timestampHeader',
    ]);
    expect(problems('signature: { scheme: stripe, header: X-Sig }', 'events:', '  - eventType: switchboard.crm.OrderPlaced', '    value: "{ \\"orderId\\": }"')).toEqual([
      '3 signature.header: header is a setting of the hmac-sha256 scheme, not of stripe',
      '1 : deliveryId is required (a header or a payload field): repeated deliveries are recognised by it',
      expect.stringMatching(/^6 events\[0\]\.value: JSONata S0\d{3}/),
    ]);
    expect(problems('signature: { scheme: hmac-sha256 }', 'deliveryId: { header: X-Id }', 'events:', '  - eventType: switchboard.crm.OrderShipped', '    value: payload')).toEqual([
      expect.stringMatching(/^6 events\[0\]\.eventType: must be one of "switchboard\.crm\.CustomerCreated"/),
    ]);
  });

  it('stop the process, naming each file\'s problems or the missing secret variable', () => {
    expect(() => loadWebhookSources(FIXTURES, {})).toThrow(/WEBHOOK_SHOP_SECRET/);
    const read = readWebhookSource('/x/other.yaml', ['name: shop', 'description: d', 'signature: { scheme: standard-webhooks }', 'events: [{ eventType: switchboard.crm.OrderPlaced, value: payload }]'].join('\n'));
    expect(read.problems.map(formatProblem)).toEqual(['/x/other.yaml:1:7 name: must be the file\'s name, "other"']);
    expect(new WebhookSourceInvalidError(['a']).code).toBe(ERRORS.WEBHOOK_SOURCE_INVALID.code);
  });

  it('keeps the published JSON Schema in step with the catalogue (switchboard webhooks schema)', () => {
    expect(webhookSourceSchemaIsStale()).toBe(false);
  });
});

describe('the webhook store', () => {
  it('commits deliveries arriving together in one transaction, each on its own: a repeat inside the group is a duplicate', async () => {
    const store = new WebhookStore(':memory:');
    try {
      const event = { eventType: 'switchboard.crm.OrderCancelled' as const, value: { orderId: 'O-1', customerId: 'C-1', reason: null, cancelledAt: 1 } };
      const [first, repeat, other] = await Promise.all([store.accept('shop', 'msg_1', event), store.accept('shop', 'msg_1', event), store.accept('shop', 'msg_2', undefined)]);
      expect(first).toEqual({ outcome: 'accepted', eventId: expect.any(String) });
      expect(repeat).toEqual({ outcome: 'duplicate', eventId: (first as { eventId: string }).eventId });
      expect(other).toEqual({ outcome: 'ignored' });
      expect(store.outbox.readUnsent(10)).toHaveLength(1);
    } finally {
      store.close();
    }
  });
});
