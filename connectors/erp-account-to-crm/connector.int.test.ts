import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { callJson, eventually, useConnectorRig } from '../../tests/kit/index.js';
import connector from './connector.js';

interface Customer360 { id: string; erpAccountNumber: string | null; creditStatus: string | null; creditLimit: { amount: string } | null; balance: { amount: string } | null }

const opened = EXAMPLE_EVENTS['switchboard.erp.CustomerAccountOpened'];
const changed = EXAMPLE_EVENTS['switchboard.erp.CreditStatusChanged'];
const created = EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'];

describe('erp-account-to-crm against the real CRM, through the runtime', () => {
  const rig = useConnectorRig('crm', connector, 'c3');
  let customerId: string;

  beforeAll(async () => {
    const customer = await callJson(rig.url, 'POST', '/customers', {
      name: created.name, email: created.email, segment: 'SMB', billingAddress: { line1: 'Hafenstraße 12', city: 'Hamburg', postalCode: '20457', country: 'DE' },
    });
    expect(customer.status).toBe(201);
    customerId = (customer.body as { id: string }).id;
  });

  const customer = async (): Promise<Customer360> => (await callJson(rig.url, 'GET', `/customers/${customerId}`)).body as Customer360;

  it('shows the opened ERP account on the CRM customer', async () => {
    const first = await rig.stack.publish('switchboard.erp.CustomerAccountOpened', customerId, { ...opened, crmCustomerId: customerId });
    await rig.stack.publish('switchboard.erp.CustomerAccountOpened', customerId, { ...opened, crmCustomerId: customerId }, { id: first.id });
    const shown = await eventually(async () => {
      const current = await customer();
      return current.erpAccountNumber ? current : undefined;
    }, 30000, 'the ERP account on the customer');
    expect(shown).toMatchObject({ erpAccountNumber: '100045', creditStatus: 'OK', creditLimit: { amount: '25000.00' }, balance: { amount: '0.00' } });
  });

  it('shows a credit hold with the open balance', async () => {
    await rig.stack.publish('switchboard.erp.CreditStatusChanged', customerId, { ...changed, crmCustomerId: customerId });
    const held = await eventually(async () => {
      const current = await customer();
      return current.creditStatus === 'HOLD' ? current : undefined;
    }, 30000, 'the credit hold');
    expect(held).toMatchObject({ erpAccountNumber: '100045', creditLimit: { amount: '25000.00' }, balance: { amount: '25320.75' } });
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });
});
