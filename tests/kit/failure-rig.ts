/**
 * What the failure tests share: one running system and a bus client per file (started before
 * its tests, stopped after them), seeding customers through the CRM, placing orders, and
 * counting effects in the ERP.
 */
import { callJson, serviceClient } from './http.js';
import { eventually } from './isolation.js';
import { openSystemBus, type SystemBus } from './system-bus.js';
import { startSystem, withSystemLog, type RunningSystem, type SystemOptions } from './system.js';

const ADDRESS = { line1: 'Hauptstrasse 1', city: 'Berlin', postalCode: '10115', country: 'DE' };

/**
 * Creates `count` ENTERPRISE customers in the CRM and waits until the ERP has an account for
 * each (flow 1 ran for them), so orders placed afterwards need no waiting on a dependency.
 */
export async function seedCustomersWithAccounts(system: RunningSystem, count: number, label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const customer = await serviceClient(system.urls.crm).post<{ id: string }>('/customers', {
      name: `${label} customer ${i}`, email: `${label}-${i}@example.com`, segment: 'ENTERPRISE', billingAddress: ADDRESS,
    });
    ids.push(customer.id);
  }
  for (const id of ids) {
    await eventually(async () => ((await callJson(system.urls.erp, 'GET', `/accounts/${id}`)).status === 200 ? true : undefined), 90000, `the ERP account of ${id}`);
  }
  return ids;
}

/** Places `count` orders round-robin over `customers`, `parallel` requests at a time; returns their ids. */
export async function placeOrders(system: RunningSystem, customers: readonly string[], count: number, parallel = 10): Promise<string[]> {
  const ids: string[] = new Array<string>(count);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) {
      const order = await serviceClient(system.urls.crm).post<{ id: string }>('/orders', {
        customerId: customers[i % customers.length], lines: [{ sku: `SKU-F${i % 7}`, quantity: 1 + (i % 3) }],
      });
      ids[i] = order.id;
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return ids;
}

/** How many ERP sales orders each CRM order id has (every sales order of the ERP). */
export async function salesOrdersPerCrmOrder(system: RunningSystem): Promise<Map<string, number>> {
  const orders = await serviceClient(system.urls.erp).get<{ crmOrderId: string }[]>('/sales-orders');
  const counts = new Map<string, number>();
  for (const order of orders) counts.set(order.crmOrderId, (counts.get(order.crmOrderId) ?? 0) + 1);
  return counts;
}

/**
 * Waits until every one of `crmOrderIds` has a sales order in the ERP; then returns the ids
 * with a count other than one (missing ones cannot remain: the wait would have failed).
 */
export async function expectEachOrderOnce(system: RunningSystem, crmOrderIds: readonly string[], timeoutMs: number): Promise<{ missing: string[]; duplicated: string[] }> {
  let counts = new Map<string, number>();
  try {
    await eventually(async () => {
      counts = await salesOrdersPerCrmOrder(system);
      return crmOrderIds.every((id) => counts.has(id)) ? true : undefined;
    }, timeoutMs, `a sales order for each of ${crmOrderIds.length} CRM orders`);
  } catch {
    // Fall through: the caller's assertion names the missing orders.
  }
  return {
    missing: crmOrderIds.filter((id) => !counts.has(id)),
    duplicated: crmOrderIds.filter((id) => (counts.get(id) ?? 0) > 1),
  };
}

/** The running system and its bus client of one failure-test file. */
export interface FailureSystem {
  readonly system: RunningSystem;
  readonly bus: SystemBus;
}

/** {@link FailureSystem}, readable once the file's `beforeAll` ran, and a wrapper for test bodies. */
export interface FailureRig extends FailureSystem {
  /** A test body that gets the system and bus; a failure carries the system's log tail. */
  diagnosed(body: (started: FailureSystem) => Promise<void>): () => Promise<void>;
}

/**
 * Registers a `beforeAll` that starts the system (`options`) and opens a bus client on it, and
 * an `afterAll` that stops both. A `beforeAll` declared after this call can seed the system.
 *
 * @example
 * ```ts
 * const rig = useFailureSystem({ connectors: ['crm-order-to-erp'], workers: 2 });
 * it('applies each order once', rig.diagnosed(async ({ system, bus }) => { ... }));
 * ```
 */
export function useFailureSystem(options: SystemOptions): FailureRig {
  let system: RunningSystem | undefined;
  let bus: SystemBus | undefined;

  beforeAll(async () => {
    system = await startSystem(options);
    bus = await openSystemBus(system);
  }, 240000);

  afterAll(async () => {
    // Processes first, so no worker writes state after the bus client drops the prefix's Redis keys.
    await system?.stop();
    await bus?.close();
  });

  const started = (): FailureSystem => {
    if (!system || !bus) throw new Error('the failure system is not started: use it inside tests and hooks');
    return { system, bus };
  };
  return {
    get system() { return started().system; },
    get bus() { return started().bus; },
    diagnosed: (body) => () => {
      const current = started();
      return withSystemLog(current.system, () => body(current));
    },
  };
}
