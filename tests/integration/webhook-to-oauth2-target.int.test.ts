/**
 * Done when (issue 12, part 3): a signed webhook becomes an event that a declarative connector
 * delivers to an OAuth2-protected HTTP target. The webhook endpoint, its outbox relay, Kafka,
 * the runtime with the connector read from YAML, and a partner API with its own token endpoint.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { request } from 'undici';
import { PROJECT_ROOT } from '../../hub/config/project-root.js';
import { loadDeclarativeConnector } from '../../hub/declarative/index.js';
import { buildWebhookApp, loadWebhookSources, signDelivery, WebhookStore } from '../../hub/adapters/webhooks/index.js';
import { OutboxRelay } from '../../hub/outbox/index.js';
import { eventually, RecordingTarget, startKitStack, type KitStack } from '../kit/index.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const FIXTURES = join(PROJECT_ROOT, 'tests', 'fixtures');

describe('a signed webhook, through Kafka and a declarative connector, to an OAuth2-protected API', () => {
  let partner: RecordingTarget;
  let stack: KitStack;
  let store: WebhookStore;
  let relay: OutboxRelay;
  let app: FastifyInstance;
  let endpoint: string;
  const dir = mkdtempSync(join(tmpdir(), 'swb-webhooks-'));

  beforeAll(async () => {
    partner = await RecordingTarget.start({ oauth2: { clientId: 'switchboard', clientSecret: 'partner-client-secret' } });
    stack = await startKitStack({
      label: 'hook',
      env: { TARGET_PARTNER_API_URL: partner.url, TARGET_PARTNER_API_TOKEN_URL: partner.tokenUrl, TARGET_PARTNER_API_CLIENT_ID: 'switchboard', TARGET_PARTNER_API_CLIENT_SECRET: 'partner-client-secret' },
    });
    store = new WebhookStore(join(dir, 'webhooks.db'));
    relay = new OutboxRelay({ outbox: store.outbox, producer: stack.services.producer, codec: stack.codec, logger: stack.logger, topicPrefix: stack.prefix });
    relay.start();
    app = await buildWebhookApp({ sources: loadWebhookSources(join(FIXTURES, 'webhooks'), { WEBHOOK_SHOP_SECRET: SECRET }), store, logger: stack.logger });
    endpoint = `${await app.listen({ port: 0, host: '127.0.0.1' })}/webhooks/shop`;
    await stack.startWorker(loadDeclarativeConnector(join(FIXTURES, 'connectors', 'shop-orders-to-partner.yaml')));
  });
  afterAll(async () => {
    await app?.close();
    await relay?.stop();
    await stack?.close();
    store?.close();
    await partner?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const deliver = async (payload: unknown, id: string, secret = SECRET) => {
    const body = JSON.stringify(payload);
    const answer = await request(endpoint, { method: 'POST', headers: { ...signDelivery({ scheme: 'standard-webhooks' }, secret, body, { id }), 'content-type': 'application/json' }, body });
    return { status: answer.statusCode, body: (await answer.body.json()) as Record<string, unknown> };
  };
  const order = {
    type: 'order.created',
    data: { order_number: '77001', customer_ref: 'C-1017', items: [{ sku: 'SKU-CHAIR-01', qty: 2 }], shipping_address: { street: 'Hafenstraße 1', city: 'Bremen', zip: '28195', country: 'DE' }, created_at: '2026-01-01T12:00:00Z' },
  };

  it('delivers the order to the partner once, with a bearer token and the event\'s idempotency key', async () => {
    const accepted = await deliver(order, 'msg_77001');
    expect(accepted).toMatchObject({ status: 202, body: { accepted: true, eventType: 'switchboard.crm.OrderPlaced', key: 'SHOP-77001' } });
    const eventId = accepted.body.eventId as string;

    const [call] = await eventually(() => {
      const calls = partner.effectsOn('/fulfilment-orders');
      return calls.length > 0 ? calls : undefined;
    }, 60_000, 'the order at the partner');
    expect(call).toMatchObject({
      method: 'POST',
      idempotencyKey: `shop-orders-to-partner:${eventId}`,
      correlationId: 'SHOP-77001',
      authorization: expect.stringMatching(/^Bearer tok-/),
      body: { reference: 'SHOP-77001', customer: 'C-1017', items: [{ sku: 'SKU-CHAIR-01', quantity: 2 }], deliverTo: { line1: 'Hafenstraße 1', city: 'Bremen', postalCode: '28195', country: 'DE' } },
    });
    expect(partner.tokenRequests).toBe(1);

    // The sender retries the same delivery: stored once, delivered once.
    const repeated = await deliver(order, 'msg_77001');
    expect(repeated).toEqual({ status: 200, body: { duplicate: true, eventId } });
    const second = await deliver({ ...order, data: { ...order.data, order_number: '77002' } }, 'msg_77002');
    await eventually(() => (partner.effectsOn('/fulfilment-orders').length >= 2 ? true : undefined), 60_000, 'the second order');
    expect(partner.effectsOn('/fulfilment-orders').map((c) => c.idempotencyKey)).toEqual([`shop-orders-to-partner:${eventId}`, `shop-orders-to-partner:${second.body.eventId as string}`]);
    expect(partner.tokenRequests).toBe(1);
  });

  it('refuses a delivery signed with another secret: nothing reaches Kafka or the partner', async () => {
    const forged = await deliver({ ...order, data: { ...order.data, order_number: '77003' } }, 'msg_77003', 'whsec_AAAA9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(forged.status).toBe(401);
    expect(store.outbox.backlog()).toBe(0);
    expect(store.db.prepare("SELECT count(*) AS n FROM webhook_deliveries WHERE delivery_id = 'msg_77003'").get()).toEqual({ n: 0 });
  });
});
