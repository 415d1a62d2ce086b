import { MappingError, type Action } from '../../hub/sdk/index.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { mappingContext, onlyHttp, testEvent } from '../../tests/kit/index.js';
import { loadDeclarativeConnector } from '../../hub/declarative/index.js';

const connector = loadDeclarativeConnector(new URL('./connector.yaml', import.meta.url));

const created = EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'];
const updated = EXAMPLE_EVENTS['switchboard.crm.CustomerUpdated'];
const ctx = mappingContext({ connector: 'crm-customer-to-scm' });

describe('crm-customer-to-scm', () => {
  it('declares its source, event types and target', () => {
    expect(connector.source).toEqual({ topics: ['crm.customer.v1'], eventTypes: ['switchboard.crm.CustomerCreated', 'switchboard.crm.CustomerUpdated'] });
    expect(connector.target).toEqual({ system: 'scm' });
  });

  it('upserts the consignee with the shipping address when the customer has one', async () => {
    const action = onlyHttp(await connector.map(testEvent('switchboard.crm.CustomerCreated', created), ctx));
    expect(action).toMatchObject({
      kind: 'http', method: 'PUT', path: '/consignees/C-1017',
      body: { name: 'Nordlicht Möbel GmbH', address: { line1: 'Lagerweg 3', line2: 'Tor 4', city: 'Bremen', postalCode: '28197', country: 'DE' } },
    });
  });

  it('falls back to the billing address, leaving out a null line2 (the SCM refuses null)', async () => {
    const action = onlyHttp(await connector.map(testEvent('switchboard.crm.CustomerUpdated', updated), ctx));
    expect(action.body).toEqual({ name: 'Nordlicht Möbel GmbH', address: { line1: 'Hafenstraße 12', city: 'Hamburg', postalCode: '20457', country: 'DE' } });
  });

  it('records the consignee id the SCM assigned as the customer cross-reference', async () => {
    const action = onlyHttp(await connector.map(testEvent('switchboard.crm.CustomerCreated', created), ctx));
    expect(await action.onResponse?.({ status: 201, body: { id: 'K-9', crmCustomerId: 'C-1017' } })).toEqual([
      { kind: 'xref.put', objectKind: 'customer', ids: { crm: 'C-1017', scm: 'K-9' } },
    ]);
    await expect(Promise.resolve().then(() => action.onResponse?.({ status: 200, body: undefined }))).rejects.toBeInstanceOf(MappingError);
  });

  it('refuses a blank name or a country that is no ISO code as mapping errors', async () => {
    const mapped = async (value: typeof created): Promise<readonly Action[]> => connector.map(testEvent('switchboard.crm.CustomerCreated', value), ctx);
    await expect(mapped({ ...created, name: '' })).rejects.toBeInstanceOf(MappingError);
    await expect(mapped({ ...created, shippingAddress: { ...created.billingAddress, country: 'Germany' } })).rejects.toThrow(/ISO 3166/);
  });
});
