import { MappingError, type Action } from '../../hub/sdk/index.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { MemoryXref, mappingContext, onlyHttp, testEvent } from '../../tests/kit/index.js';
import { loadDeclarativeConnector } from '../../hub/declarative/index.js';

const connector = loadDeclarativeConnector(new URL('./connector.yaml', import.meta.url));

const confirmed = EXAMPLE_EVENTS['switchboard.erp.SalesOrderConfirmed'];
const ctx = mappingContext({ connector: 'erp-order-to-scm' });

describe('erp-order-to-scm', () => {
  it('declares its source, event types and target (confirmed orders are fulfilled, cancelled ones released)', () => {
    expect(connector.source).toEqual({ topics: ['erp.sales-order.v1'], eventTypes: ['switchboard.erp.SalesOrderConfirmed', 'switchboard.erp.SalesOrderCancelled'] });
    expect(connector.target).toEqual({ system: 'scm' });
  });

  it('creates the fulfilment: quantities without prices, the order delivery address', async () => {
    const action = onlyHttp(await connector.map(testEvent('switchboard.erp.SalesOrderConfirmed', confirmed), ctx));
    expect(action).toMatchObject({
      kind: 'http', method: 'POST', path: '/fulfilments',
      body: {
        salesOrderNumber: 'SO-2024-0042', crmOrderId: 'O-50123', crmCustomerId: 'C-1017',
        lines: [{ sku: 'SKU-CHAIR-01', quantity: 4 }, { sku: 'SKU-DESK-02', quantity: 1 }],
        shipTo: { line1: 'Lagerweg 3', line2: 'Tor 4', city: 'Bremen', postalCode: '28197', country: 'DE' },
      },
    });
    expect(Object.keys((action.body as { lines: object[] }).lines[0] as object)).toEqual(['sku', 'quantity']);
  });

  it('leaves out a null line2 (the SCM refuses null)', async () => {
    const event = testEvent('switchboard.erp.SalesOrderConfirmed', { ...confirmed, shipTo: { ...confirmed.shipTo, line2: null } });
    expect(onlyHttp(await connector.map(event, ctx)).body).not.toHaveProperty('shipTo.line2');
  });

  it('links the shipment to the order in the cross-references', async () => {
    const action = onlyHttp(await connector.map(testEvent('switchboard.erp.SalesOrderConfirmed', confirmed), ctx));
    expect(await action.onResponse?.({ status: 201, body: { id: 'SH-31007', salesOrderNumber: 'SO-2024-0042', status: 'READY' } })).toEqual([
      { kind: 'xref.put', objectKind: 'order', ids: { crm: 'O-50123', erp: 'SO-2024-0042', scm: 'SH-31007' } },
    ]);
    await expect(Promise.resolve().then(() => action.onResponse?.({ status: 201, body: 'ok' }))).rejects.toBeInstanceOf(MappingError);
  });

  it('refuses an order without lines or with a non-positive quantity as mapping errors', async () => {
    const mapped = async (value: typeof confirmed): Promise<readonly Action[]> => connector.map(testEvent('switchboard.erp.SalesOrderConfirmed', value), ctx);
    await expect(mapped({ ...confirmed, lines: [] })).rejects.toBeInstanceOf(MappingError);
    await expect(mapped({ ...confirmed, lines: [{ sku: 'SKU-CHAIR-01', quantity: -1 }] })).rejects.toMatchObject({ retriable: false });
  });

  it('cancels the shipment of a cancelled order, accepting "already dispatched" as final', async () => {
    const xref = new MemoryXref([['order', { crm: 'O-50123', erp: 'SO-2024-0042', scm: 'SH-31007' }]]);
    const cancelled = EXAMPLE_EVENTS['switchboard.erp.SalesOrderCancelled'];
    const action = onlyHttp(await connector.map(testEvent('switchboard.erp.SalesOrderCancelled', { ...cancelled, salesOrderNumber: 'SO-2024-0042', crmOrderId: 'O-50123' }), mappingContext({ connector: 'erp-order-to-scm', xref })));
    expect(action).toMatchObject({ method: 'POST', path: '/shipments/SH-31007/cancel', body: {}, okStatuses: [422] });
  });

  it('does nothing for a cancelled order that never got a shipment', async () => {
    const cancelled = EXAMPLE_EVENTS['switchboard.erp.SalesOrderCancelled'];
    expect(await connector.map(testEvent('switchboard.erp.SalesOrderCancelled', cancelled), ctx)).toEqual([]);
  });
});
