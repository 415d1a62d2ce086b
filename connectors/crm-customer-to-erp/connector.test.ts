import { MappingError } from '../../hub/sdk/index.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { mappingContext, onlyHttp, testEvent } from '../../tests/kit/index.js';
import connector from './connector.js';

const created = EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'];
const updated = EXAMPLE_EVENTS['switchboard.crm.CustomerUpdated'];
const ctx = mappingContext({ connector: 'crm-customer-to-erp' });

describe('crm-customer-to-erp', () => {
  it('declares its source, event types and target', () => {
    expect(connector.source).toEqual({ topics: ['crm.customer.v1'], eventTypes: ['switchboard.crm.CustomerCreated', 'switchboard.crm.CustomerUpdated'] });
    expect(connector.target).toEqual({ system: 'erp' });
  });

  it('upserts the ERP account of a created customer with name and segment', async () => {
    const action = onlyHttp(await connector.map(testEvent('switchboard.crm.CustomerCreated', created), ctx));
    expect(action).toMatchObject({ kind: 'http', method: 'PUT', path: '/accounts/C-1017', body: { name: 'Nordlicht Möbel GmbH', segment: 'SMB' } });
  });

  it('upserts with the new segment on an update (the ERP moves the credit limit)', async () => {
    const action = onlyHttp(await connector.map(testEvent('switchboard.crm.CustomerUpdated', updated), ctx));
    expect(action).toMatchObject({ method: 'PUT', path: '/accounts/C-1017', body: { name: 'Nordlicht Möbel GmbH', segment: 'ENTERPRISE' } });
  });

  it('records the account number the ERP assigned as the customer cross-reference', async () => {
    const action = onlyHttp(await connector.map(testEvent('switchboard.crm.CustomerCreated', created), ctx));
    expect(action.onResponse?.({ status: 201, body: { accountNumber: 'A-100045', crmCustomerId: 'C-1017' } })).toEqual([
      { kind: 'xref.put', objectKind: 'customer', ids: { crm: 'C-1017', erp: 'A-100045' } },
    ]);
    // A repeat answers 200 with the same account: same cross-reference.
    expect(action.onResponse?.({ status: 200, body: { accountNumber: 'A-100045' } })).toEqual([
      { kind: 'xref.put', objectKind: 'customer', ids: { crm: 'C-1017', erp: 'A-100045' } },
    ]);
  });

  it('escapes the customer id in the path', async () => {
    const action = onlyHttp(await connector.map(testEvent('switchboard.crm.CustomerCreated', { ...created, customerId: 'C/1 7' }), ctx));
    expect(action.path).toBe('/accounts/C%2F1%207');
  });

  it('refuses a blank name as a mapping error (not retriable)', () => {
    const run = (): unknown => connector.map(testEvent('switchboard.crm.CustomerCreated', { ...created, name: '   ' }), ctx);
    expect(run).toThrow(MappingError);
    try {
      run();
    } catch (error) {
      expect((error as MappingError).retriable).toBe(false);
      expect((error as MappingError).code).toBe('SWB_ERR_RUNTIME_MAPPING');
    }
  });

  it('treats an answer without an account number as a mapping error', async () => {
    const action = onlyHttp(await connector.map(testEvent('switchboard.crm.CustomerCreated', created), ctx));
    expect(() => action.onResponse?.({ status: 201, body: {} })).toThrow(MappingError);
  });
});
