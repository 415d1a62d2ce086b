import { EXAMPLE_EVENTS } from '../../../schemas/examples.js';
import { defineConnector, http } from '../../sdk/index.js';
import { eventually, RecordingTarget, startKitStack, statsWhen, withFastRetries, type KitStack } from '../../../tests/kit/index.js';

const created = EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'];

// A connector whose target is an API outside the catalogue, protected by OAuth2 client credentials.
const connector = withFastRetries(defineConnector({
  name: 'crm-customer-to-partner',
  description: 'Registers each CRM customer with a partner API',
  source: { topics: ['crm.customer.v1'], eventTypes: ['switchboard.crm.CustomerCreated'] },
  target: { kind: 'http', name: 'partner-api', auth: 'oauth2', rateLimit: { perSecond: 50 } },
  map: ({ value }) => [http({ method: 'PUT', path: `/customers/${encodeURIComponent(value.customerId)}`, body: { name: value.name } })],
}));

describe('an OAuth2-protected HTTP target through the runtime', () => {
  let target: RecordingTarget;
  let stack: KitStack;

  beforeAll(async () => {
    target = await RecordingTarget.start({ oauth2: { clientId: 'switchboard', clientSecret: 'client-s3cret', tokenLifetimeSeconds: 2 } });
    stack = await startKitStack({
      label: 'sinkhttp',
      env: { TARGET_PARTNER_API_URL: target.url, TARGET_PARTNER_API_TOKEN_URL: target.tokenUrl, TARGET_PARTNER_API_CLIENT_ID: 'switchboard', TARGET_PARTNER_API_CLIENT_SECRET: 'client-s3cret' },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await target?.close();
  });

  const applied = (customerId: string) => target.effects().filter((call) => call.path === `/customers/${customerId}`);
  const publish = async (customerId: string) => stack.publish('switchboard.crm.CustomerCreated', customerId, { ...created, customerId });

  it('calls with a cached token, renewed before it expires: no call is refused for an expired token', async () => {
    const worker = await stack.startWorker(connector);
    // Customers one after another until the 2-second token has been renewed.
    let n = 0;
    while (target.tokenRequests < 2 && n < 200) {
      n++;
      await publish(`C-T${n}`);
      await eventually(() => (applied(`C-T${n}`).length === 1 ? true : undefined), 30_000, `customer C-T${n}`);
    }
    expect(target.tokenRequests).toBe(2);
    expect(n).toBeGreaterThan(2);
    expect(target.calls.filter((call) => call.status === 401)).toEqual([]);
    expect(target.effects().every((call) => call.authorization?.startsWith('Bearer tok-'))).toBe(true);
    expect(worker.stats.deadLettered).toBe(0);
    await worker.stop();
  });

  it('waits as long as a 429 answer\'s Retry-After asks, then calls again with the same idempotency key', async () => {
    target.failNext(1, 429, '/customers/C-R1', { 'retry-after': '1' });
    const worker = await stack.startWorker(connector);
    await publish('C-R1');
    await eventually(() => (applied('C-R1').length === 1 ? true : undefined), 30_000, 'the customer after the 429');
    const calls = target.calls.filter((call) => call.path === '/customers/C-R1');
    expect(calls.map((call) => call.status)).toEqual([429, 201]);
    expect(calls[1].idempotencyKey).toBe(calls[0].idempotencyKey);
    expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(1000);
    expect(worker.stats.deadLettered).toBe(0);
    await worker.stop();
  });

  it('takes a new token when the target refuses the cached one with 401, and applies the event once', async () => {
    const worker = await stack.startWorker(connector);
    await publish('C-V0');
    await eventually(() => (applied('C-V0').length === 1 ? true : undefined), 30_000, 'a customer with the first token');
    const before = target.tokenRequests;
    target.revokeTokens();
    await publish('C-V1');
    await eventually(() => (applied('C-V1').length === 1 ? true : undefined), 30_000, 'the customer after the revocation');
    expect(target.calls.filter((call) => call.path === '/customers/C-V1').map((call) => call.status)).toEqual([401, 201]);
    expect(target.tokenRequests).toBe(before + 1);
    const stats = await statsWhen(worker, 'both customers delivered', (s) => s.delivered >= 2);
    expect(stats.deadLettered).toBe(0);
    await worker.stop();
  });
});
