/**
 * The whole system on a secure stack (TLS, SASL/SCRAM-SHA-512, the KRaft StandardAuthorizer):
 * every service, connector, the worker, the registry and the admin API logs in as its own
 * principal with only the ACLs of `kafkaPrincipals`, provisioned by `provisionKafkaPrincipals`
 * (what `switchboard up --secure` runs). Order to cash runs end to end; a connector reading a
 * topic it was not granted stops for good with SWB_ERR_BUS_ACCESS_DENIED; a service cannot write
 * another system's topic.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CONNECTORS } from '../../connectors/index.js';
import { Bus, BusAccessDeniedError, loadBusConfig } from '../../hub/bus/index.js';
import { createLogger } from '../../hub/log/logger.js';
import { ConnectorWorker } from '../../hub/runtime/connector-worker.js';
import { asLogin } from '../../hub/runtime/connector-kafka-credentials.js';
import { connectorGroups } from '../../hub/runtime/connector-topics.js';
import { connectorServices, startRuntimeServices, stopRuntimeServices } from '../../hub/runtime/runtime-services.js';
import { readWorkerStatuses } from '../../hub/runtime/status.js';
import { SchemaRegistryClient } from '../../hub/schema/client/registry-client.js';
import { kafkaPrincipals, PRINCIPAL_NAMES } from '../../hub/security/kafka-principals.js';
import { createRedis } from '../../hub/state/redis.js';
import { provisionKafkaPrincipals } from '../../stack/index.js';
import { expectEachOrderOnce, placeOrders, seedCustomersWithAccounts } from '../kit/failure-rig.js';
import { startPrivateStack, type PrivateStack } from '../kit/private-stack.js';
import { startSystem, stackEnv, withSystemLog, type RunningSystem } from '../kit/system.js';
import { Systems, type CrmCustomer } from '../kit/system-clients.js';

jest.setTimeout(300_000);
// The connectors order to cash needs (each is a SCRAM user and a set of logins: fewer start faster).
const ORDER_TO_CASH = [
  'crm-customer-to-erp', 'erp-account-to-crm', 'erp-product-to-crm', 'erp-product-to-scm', 'scm-stock-to-crm',
  'crm-order-to-erp', 'erp-order-to-crm', 'erp-order-to-scm', 'scm-shipment-to-erp', 'scm-shipment-to-crm', 'erp-invoice-to-crm',
];
const quiet = createLogger('secure-e2e', { level: 'silent' });

let stack: PrivateStack;
let system: RunningSystem;
let sys: Systems;

beforeAll(async () => {
  stack = await startPrivateStack({ label: 'secure-o2c', secure: true, redis: false });
  system = await startSystem({ stack: { bus: stack.bus, redisUrl: stack.redisUrl }, secure: { stackOptions: stack.stackOptions }, connectors: ORDER_TO_CASH });
  sys = new Systems(system);
  await sys.warehouse('WH-SECURE');
}, 480_000);

afterAll(async () => {
  await system?.stop();
  await stack?.stop();
}, 120_000);

describe('order to cash over SASL_SSL, one principal per process and connector', () => {
  it('takes an order through confirmation, shipment, invoice and payment', () => withSystemLog(system, async () => {
    await sys.product('SEC-A', '10.00');
    await sys.receive('SEC-A', 'WH-SECURE', 10);
    const customer = await sys.customer('Secure Ltd', 'SMB');
    const placed = await sys.placeOrder(customer.id, [{ sku: 'SEC-A', quantity: 3 }]);
    const confirmed = await sys.orderWhen(placed.id, 'CONFIRMED', (o) => o.status === 'CONFIRMED' && o.erpOrderNumber !== null);
    const [salesOrder] = await sys.salesOrders(placed.id);
    expect(salesOrder).toMatchObject({ salesOrderNumber: confirmed.erpOrderNumber, total: { amount: '30.00', currency: 'EUR' } });
    const shipment = await sys.shipmentWhen(salesOrder.salesOrderNumber, 'READY');
    await sys.scm.post(`/shipments/${shipment.id}/dispatch`, { carrier: 'DHL', trackingNumber: 'TRK-SEC-1' });
    const invoice = await sys.until('the invoice', async () => (await sys.invoices(salesOrder.salesOrderNumber))[0]);
    await sys.erp.post('/payments', { invoiceNumber: invoice.invoiceNumber, amount: { amount: '30.00', currency: 'EUR' } });
    const paid = await sys.orderWhen(placed.id, 'PAID', (o) => o.status === 'SHIPPED' && o.invoice?.status === 'PAID');
    expect(paid.shipment).toEqual({ carrier: 'DHL', trackingNumber: 'TRK-SEC-1' });
    await sys.until('the balance 0.00 in the CRM', async () => {
      const c = await sys.crm.get<CrmCustomer>(`/customers/${customer.id}`);
      return c.balance?.amount === '0.00' ? c : undefined;
    });
    expect(await sys.salesOrders(placed.id)).toHaveLength(1);
    expect(await sys.shipments(salesOrder.salesOrderNumber)).toHaveLength(1);
    expect(await sys.invoices(salesOrder.salesOrderNumber)).toHaveLength(1);
  }));

  it('applies every one of 30 orders exactly once', () => withSystemLog(system, async () => {
    const customers = await seedCustomersWithAccounts(system, 3, 'secure');
    const orders = await placeOrders(system, customers, 30, 5);
    expect(await expectEachOrderOnce(system, orders, 120_000)).toEqual({ missing: [], duplicated: [] });
  }));
});

describe('least privilege', () => {
  it('stops a connector whose principal may not read its source, once, with SWB_ERR_BUS_ACCESS_DENIED naming the topic', async () => {
    // scm-stock-to-erp (not in the running system) reads the SCM's stock topic; its principal is provisioned here without that grant.
    const definition = CONNECTORS.find((connector) => connector.name === 'scm-stock-to-erp');
    if (!definition) throw new Error('scm-stock-to-erp is not registered');
    const [planned] = kafkaPrincipals({ connectors: [definition], prefix: system.prefix }).filter((principal) => principal.role === 'connector');
    const source = `${system.prefix}${definition.source.topics[0]}`;
    const withoutSource = { ...planned, grants: planned.grants.filter((grant) => grant.name !== source) };
    expect(withoutSource.grants.length).toBe(planned.grants.length - 1);
    const provisioned = await provisionKafkaPrincipals([withoutSource, ...kafkaPrincipals({ connectors: [], prefix: system.prefix }).filter((p) => p.role === 'worker')], stack.stackOptions);

    const base = { ...stackEnv(stack.bus, stack.redisUrl) };
    const workerConfig = loadBusConfig({ ...base, ...provisioned.envOf(PRINCIPAL_NAMES.worker) });
    const redis = createRedis(stack.redisUrl, quiet, 'secure-e2e');
    const services = await startRuntimeServices({ bus: workerConfig, redis, registry: new SchemaRegistryClient({ url: system.registryUrl, timeoutMs: 5000 }), logger: quiet, prefix: system.prefix });
    const own = connectorServices(services, asLogin(workerConfig, { username: withoutSource.username, password: provisioned.envOf(withoutSource.username).KAFKA_SASL_PASSWORD ?? '' }), definition.name);
    const failures: Error[] = [];
    const worker = new ConnectorWorker(definition, own, { onFailed: (error) => failures.push(error) });
    try {
      const refused = await worker.start().catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(BusAccessDeniedError);
      expect(refused).toMatchObject({ code: 'SWB_ERR_BUS_ACCESS_DENIED', retriable: false });
      expect((refused as Error).message).toContain(source);

      // Its status says so (in the worker and in Redis, where the console reads it) ...
      expect(worker.status().state).toBe('failed');
      expect(worker.status().stats.lastError).toMatchObject({ code: 'SWB_ERR_BUS_ACCESS_DENIED' });
      const [reported] = await readWorkerStatuses(redis, system.prefix, definition.name);
      expect(reported).toMatchObject({ state: 'failed', stats: { lastError: { code: 'SWB_ERR_BUS_ACCESS_DENIED' } } });
      // ... it was reported once, and nothing keeps trying: its consumer group has no member.
      expect(failures).toHaveLength(1);
      const admin = new Bus(stack.bus, quiet, 'secure-e2e').admin();
      await admin.connect();
      try {
        const group = await admin.describeGroup(connectorGroups(definition.name, system.prefix).main);
        expect(group.members).toBe(0);
      } finally {
        await admin.close();
      }
      expect(worker.status().state).toBe('failed');
    } finally {
      await worker.stop();
      await own.producer.close();
      await stopRuntimeServices(services);
      await redis.quit();
    }
  });

  it('refuses a service principal writing another system\'s topic, with a typed, final error', async () => {
    const principals = await provisionKafkaPrincipals(kafkaPrincipals({ connectors: [], prefix: system.prefix }).filter((p) => p.username === PRINCIPAL_NAMES.service('crm')), stack.stackOptions);
    const crm = new Bus(loadBusConfig({ ...stackEnv(stack.bus, stack.redisUrl), ...principals.envOf(PRINCIPAL_NAMES.service('crm')) }), quiet, 'svc-crm');
    const producer = crm.producer();
    try {
      const refused = await producer.send({ topic: `${system.prefix}erp.sales-order.v1`, key: 'k', value: Buffer.from('{}') }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(BusAccessDeniedError);
      expect(refused).toMatchObject({ code: 'SWB_ERR_BUS_ACCESS_DENIED', retriable: false, kafkaError: 'TOPIC_AUTHORIZATION_FAILED' });
      expect((refused as Error).message).toContain(`${system.prefix}erp.sales-order.v1`);
    } finally {
      await producer.close();
    }
  });
});

