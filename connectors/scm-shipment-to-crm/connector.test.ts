import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { MappingError, type HttpAction } from '../../hub/sdk/index.js';
import { mappingContext, testEvent } from '../../tests/kit/index.js';
import connector from './connector.js';

const dispatched = EXAMPLE_EVENTS['switchboard.scm.ShipmentDispatched'];
const delivered = EXAMPLE_EVENTS['switchboard.scm.ShipmentDelivered'];
const ctx = mappingContext({ connector: connector.name });
const mapDispatched = async (value: typeof dispatched): Promise<HttpAction[]> =>
  (await connector.map(testEvent('switchboard.scm.ShipmentDispatched', value), ctx)) as HttpAction[];
const mapDelivered = async (value: typeof delivered): Promise<HttpAction[]> =>
  (await connector.map(testEvent('switchboard.scm.ShipmentDelivered', value), ctx)) as HttpAction[];

describe('scm-shipment-to-crm', () => {
  it('consumes ShipmentDispatched and ShipmentDelivered from scm.shipment.v1 and calls the CRM', () => {
    expect(connector.source).toEqual({
      topics: ['scm.shipment.v1'], eventTypes: ['switchboard.scm.ShipmentDispatched', 'switchboard.scm.ShipmentDelivered'],
    });
    expect(connector.target).toEqual({ system: 'crm' });
  });

  it('marks the CRM order SHIPPED with carrier and tracking number on dispatch', async () => {
    expect(await mapDispatched(dispatched)).toEqual([
      expect.objectContaining({ kind: 'http', method: 'POST', path: '/orders/O-50123/ship', body: { carrier: 'DHL', trackingNumber: '00340434161094042557' } }),
    ]);
  });

  it('reports a delivery as ship (idempotent) then deliver, so a missed dispatch report does not block it', async () => {
    expect(await mapDelivered(delivered)).toEqual([
      expect.objectContaining({ method: 'POST', path: '/orders/O-50123/ship', body: { carrier: 'DHL', trackingNumber: '00340434161094042557' } }),
      expect.objectContaining({ method: 'POST', path: '/orders/O-50123/deliver', body: {} }),
    ]);
  });

  it('trims carrier and tracking number and escapes the order id', async () => {
    const [action] = await mapDispatched({ ...dispatched, crmOrderId: 'O 1', carrier: ' UPS ', trackingNumber: '1Z999 ' });
    expect(action).toMatchObject({ path: '/orders/O%201/ship', body: { carrier: 'UPS', trackingNumber: '1Z999' } });
  });

  it('refuses a shipment without carrier, tracking number or order as a mapping error', async () => {
    await expect(mapDispatched({ ...dispatched, carrier: '  ' })).rejects.toThrow(MappingError);
    await expect(mapDelivered({ ...delivered, trackingNumber: '' })).rejects.toThrow(MappingError);
    await expect(mapDispatched({ ...dispatched, crmOrderId: '' })).rejects.toMatchObject({ code: 'SWB_ERR_RUNTIME_MAPPING', retriable: false });
    await expect(mapDispatched({ ...dispatched, trackingNumber: 'x'.repeat(101) })).rejects.toThrow(MappingError);
  });
});
