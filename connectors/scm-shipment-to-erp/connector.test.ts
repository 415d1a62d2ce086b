import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { MappingError, type HttpAction } from '../../hub/sdk/index.js';
import { mappingContext, testEvent } from '../../tests/kit/index.js';
import connector from './connector.js';

const dispatched = EXAMPLE_EVENTS['switchboard.scm.ShipmentDispatched'];
const ctx = mappingContext({ connector: connector.name });
const map = async (value: typeof dispatched): Promise<HttpAction[]> => (await connector.map(testEvent('switchboard.scm.ShipmentDispatched', value), ctx)) as HttpAction[];

describe('scm-shipment-to-erp', () => {
  it('consumes ShipmentDispatched from scm.shipment.v1 and calls the ERP', () => {
    expect(connector.source).toEqual({ topics: ['scm.shipment.v1'], eventTypes: ['switchboard.scm.ShipmentDispatched'] });
    expect(connector.target).toEqual({ system: 'erp' });
  });

  it('asks the ERP to invoice the dispatched sales order', async () => {
    expect(await map(dispatched)).toEqual([
      expect.objectContaining({ kind: 'http', method: 'POST', path: '/invoices', body: { salesOrderNumber: 'SO-2024-0042', shipmentId: 'SH-31007' } }),
    ]);
  });

  it('refuses a shipment without a sales order or without goods as a mapping error', async () => {
    await expect(map({ ...dispatched, salesOrderNumber: '' })).rejects.toThrow(MappingError);
    await expect(map({ ...dispatched, lines: [] })).rejects.toThrow(MappingError);
    await expect(map({ ...dispatched, lines: [{ sku: 'SKU-CHAIR-01', quantity: 0 }] })).rejects.toMatchObject({ code: 'SWB_ERR_RUNTIME_MAPPING', retriable: false });
  });
});
