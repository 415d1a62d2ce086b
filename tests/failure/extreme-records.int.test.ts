/**
 * Records that fuzz-like input leaves on a topic do not stall or slow the events of other keys:
 * an order whose correlation id can never be sent as a header (a record from an older or foreign
 * producer) is dead-lettered at its first try, an order with extreme but valid values (a hundred
 * lines of a million units at the largest price, an address in unusual Unicode) is applied as the
 * ERP's rejection, and the ordinary orders published behind them, on the same partitions, are
 * confirmed, with nothing retried or parked.
 */
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { callJson, eventually, statsWhen, useConnectorRig } from '../kit/index.js';
import connector from '../../connectors/crm-order-to-erp/connector.js';

interface SalesOrder { crmOrderId: string; status: string; rejection: { reasonCode: string } | null }

const placed = EXAMPLE_EVENTS['switchboard.crm.OrderPlaced'];
const ORDINARY = ['O-XR-1', 'O-XR-2', 'O-XR-3', 'O-XR-4', 'O-XR-5'];
const UNUSUAL = 'Ꮚ∰ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ẞtraße ١٢٣ 🏳️‍🌈 ǅ Z̷̢a̸l̵g̴o̶ 漢字かな ';

describe('extreme records on a source topic', () => {
  const rig = useConnectorRig('erp', connector, 'xr');

  beforeAll(async () => {
    for (const [sku, amount] of [['XR-MAX', '9999999999999.99'], ['XR-1', '10.00']] as const) {
      expect((await callJson(rig.url, 'POST', '/products', { sku, name: sku, unitPrice: { amount, currency: 'EUR' } })).status).toBe(201);
    }
    const account = await callJson(rig.url, 'PUT', `/accounts/${placed.customerId}`, { name: 'Extreme Records Ltd', segment: 'ENTERPRISE' });
    await rig.stack.services.xref.put('customer', { crm: placed.customerId, erp: (account.body as { accountNumber: string }).accountNumber });
  });

  it('dead-letters the unsendable one at once, applies the extreme one, and the other keys go through without a retry', async () => {
    await rig.stack.publish('switchboard.crm.OrderPlaced', 'O-XR-POISON', { ...placed, orderId: 'O-XR-POISON' }, { correlationId: 'Bestellung-注文-1' });
    const huge = {
      ...placed, orderId: 'O-XR-HUGE',
      lines: Array.from({ length: 100 }, () => ({ sku: 'XR-MAX', quantity: 1_000_000, unitPrice: null, lineTotal: null })),
      shipTo: { line1: UNUSUAL.repeat(3).slice(0, 150), line2: UNUSUAL, city: 'Ꮚ∰', postalCode: '0000', country: 'DE' },
    };
    await rig.stack.publish('switchboard.crm.OrderPlaced', huge.orderId, huge);
    for (const orderId of ORDINARY) {
      await rig.stack.publish('switchboard.crm.OrderPlaced', orderId, { ...placed, orderId, lines: [{ sku: 'XR-1', quantity: 2, unitPrice: null, lineTotal: null }] });
    }

    const stats = await statsWhen(rig.worker, 'seven orders settled', (s) => s.delivered + s.deadLettered >= 7);
    expect(stats).toMatchObject({ delivered: 6, deadLettered: 1, retried: 0, parked: 0 });
    const [letter, ...others] = await eventually(async () => {
      const letters = await rig.stack.deadLetters.list(connector.name);
      return letters.length > 0 ? letters : undefined;
    }, 30_000, 'the dead letter');
    expect(others).toEqual([]);
    expect(letter).toMatchObject({ key: 'O-XR-POISON', errorCode: 'SWB_ERR_RUNTIME_REQUEST_UNSENDABLE', attempts: 1, errorMessage: expect.stringContaining('invalid x-correlation-id header') });

    const orders = (await callJson(rig.url, 'GET', '/sales-orders')).body as SalesOrder[];
    const status = Object.fromEntries(orders.map((order) => [order.crmOrderId, order.rejection ? `${order.status} ${order.rejection.reasonCode}` : order.status]));
    expect(status).toEqual({ 'O-XR-HUGE': 'REJECTED INVALID_ORDER', ...Object.fromEntries(ORDINARY.map((id) => [id, 'CONFIRMED'])) });
  });
});
