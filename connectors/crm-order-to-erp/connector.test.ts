import { MappingError, MissingDependencyError, type Action } from '../../hub/sdk/index.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { MemoryXref, mappingContext, onlyHttp, testEvent } from '../../tests/kit/index.js';
import connector from './connector.js';

const placed = EXAMPLE_EVENTS['switchboard.crm.OrderPlaced'];
const cancelled = EXAMPLE_EVENTS['switchboard.crm.OrderCancelled'];

/** A context in which customer C-1017 has ERP account 100045 and order O-50124 is SO-2024-0043. */
function knownContext(): ReturnType<typeof mappingContext> {
  const xref = new MemoryXref([['customer', { crm: 'C-1017', erp: '100045' }], ['order', { crm: 'O-50124', erp: 'SO-2024-0043' }]]);
  return mappingContext({ connector: 'crm-order-to-erp', xref });
}

describe('crm-order-to-erp', () => {
  it('declares its source, event types and target', () => {
    expect(connector.source).toEqual({ topics: ['crm.order.v1'], eventTypes: ['switchboard.crm.OrderPlaced', 'switchboard.crm.OrderCancelled'] });
    expect(connector.target).toEqual({ system: 'erp' });
  });

  it('creates the sales order of a placed order: lines as sku and quantity, shipTo without a null line2', async () => {
    const action = onlyHttp(await connector.map(testEvent('switchboard.crm.OrderPlaced', { ...placed, shipTo: { ...placed.shipTo, line2: null } }), knownContext()));
    expect(action).toMatchObject({
      kind: 'http', method: 'POST', path: '/sales-orders',
      body: {
        crmOrderId: 'O-50123', crmCustomerId: 'C-1017',
        lines: [{ sku: 'SKU-CHAIR-01', quantity: 4 }, { sku: 'SKU-DESK-02', quantity: 1 }],
        shipTo: { line1: 'Lagerweg 3', city: 'Bremen', postalCode: '28197', country: 'DE' },
      },
    });
    expect(action.body).not.toHaveProperty('shipTo.line2');
  });

  it('keeps a present line2 of the delivery address', async () => {
    const action = onlyHttp(await connector.map(testEvent('switchboard.crm.OrderPlaced', placed), knownContext()));
    expect(action.body).toHaveProperty('shipTo.line2', 'Tor 4');
  });

  it('records the ERP sales order number from the answer as the order cross-reference', async () => {
    const action = onlyHttp(await connector.map(testEvent('switchboard.crm.OrderPlaced', placed), knownContext()));
    // A rejected order has a number too: it is still the ERP's record of this CRM order.
    for (const status of ['CONFIRMED', 'REJECTED']) {
      expect(action.onResponse?.({ status: 201, body: { salesOrderNumber: 'SO-2024-0042', crmOrderId: 'O-50123', status } })).toEqual([
        { kind: 'xref.put', objectKind: 'order', ids: { crm: 'O-50123', erp: 'SO-2024-0042' } },
      ]);
    }
    expect(() => action.onResponse?.({ status: 201, body: { status: 'CONFIRMED' } })).toThrow(MappingError);
  });

  it('is a missing dependency (retriable) while the customer has no ERP account', async () => {
    const mapped = connector.map(testEvent('switchboard.crm.OrderPlaced', placed), mappingContext({ connector: 'crm-order-to-erp', xref: new MemoryXref() }));
    await expect(mapped).rejects.toBeInstanceOf(MissingDependencyError);
    await expect(mapped).rejects.toMatchObject({ retriable: true, code: 'SWB_ERR_RUNTIME_MISSING_DEPENDENCY' });
  });

  it('refuses orders the ERP can never take as mapping errors (not retriable)', async () => {
    const ctx = knownContext();
    const mapped = async (value: typeof placed): Promise<readonly Action[]> => connector.map(testEvent('switchboard.crm.OrderPlaced', value), ctx);
    await expect(mapped({ ...placed, lines: [] })).rejects.toBeInstanceOf(MappingError);
    await expect(mapped({ ...placed, lines: [{ sku: 'SKU-CHAIR-01', quantity: 0 }] })).rejects.toMatchObject({ retriable: false, code: 'SWB_ERR_RUNTIME_MAPPING' });
    await expect(mapped({ ...placed, shipTo: { ...placed.shipTo, country: 'deu' } })).rejects.toThrow(/ISO 3166/);
  });

  it('refuses bad data before waiting for the account (a dead letter now beats retrying a hopeless event)', async () => {
    const mapped = connector.map(testEvent('switchboard.crm.OrderPlaced', { ...placed, lines: [] }), mappingContext({ connector: 'crm-order-to-erp', xref: new MemoryXref() }));
    await expect(mapped).rejects.toBeInstanceOf(MappingError);
  });

  it('cancels the sales order of a cancelled order, with the reason when there is one', async () => {
    const ctx = knownContext();
    expect(onlyHttp(await connector.map(testEvent('switchboard.crm.OrderCancelled', cancelled), ctx))).toEqual({
      kind: 'http', method: 'POST', path: '/sales-order-cancellations', body: { crmOrderId: 'O-50124' },
    });
    const withReason = onlyHttp(await connector.map(testEvent('switchboard.crm.OrderCancelled', { ...cancelled, reason: 'Customer changed their mind' }), ctx));
    expect(withReason.body).toEqual({ crmOrderId: 'O-50124', reason: 'Customer changed their mind' });
  });

  it('is a missing dependency while the cancelled order has no ERP sales order yet', async () => {
    const ctx = mappingContext({ connector: 'crm-order-to-erp', xref: new MemoryXref() });
    await expect(connector.map(testEvent('switchboard.crm.OrderCancelled', cancelled), ctx)).rejects.toBeInstanceOf(MissingDependencyError);
  });
});
