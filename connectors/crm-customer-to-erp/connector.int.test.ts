import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { callJson, eventually, useConnectorRig } from '../../tests/kit/index.js';
import connector from './connector.js';

interface Account { accountNumber: string; crmCustomerId: string; name: string; segment: string; creditLimit: { amount: string }; creditStatus: string }

const created = EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'];
const updated = EXAMPLE_EVENTS['switchboard.crm.CustomerUpdated'];

describe('crm-customer-to-erp against the real ERP, through the runtime', () => {
  const rig = useConnectorRig('erp', connector, 'c1');

  const accounts = async (): Promise<Account[]> => (await callJson(rig.url, 'GET', '/customers')).body as Account[];

  it('opens one ERP account for a created customer, even when the event comes twice, and records the cross-reference', async () => {
    const first = await rig.stack.publish('switchboard.crm.CustomerCreated', created.customerId, created);
    await rig.stack.publish('switchboard.crm.CustomerCreated', created.customerId, created, { id: first.id });

    const account = await eventually(async () => {
      const response = await callJson(rig.url, 'GET', `/accounts/${created.customerId}`);
      return response.status === 200 ? (response.body as Account) : undefined;
    }, 30000, 'the ERP account');
    expect(account).toMatchObject({ crmCustomerId: 'C-1017', name: 'Nordlicht Möbel GmbH', segment: 'SMB', creditLimit: { amount: '10000.00' }, creditStatus: 'OK' });
    const link = await eventually(() => rig.stack.services.xref.get('customer', 'crm', 'C-1017', 'erp'), 30000, 'the cross-reference');
    expect(link).toBe(account.accountNumber);
  });

  it('moves the credit limit when an update changes the segment, keeping the account number', async () => {
    const before = (await callJson(rig.url, 'GET', '/accounts/C-1017')).body as Account;
    await rig.stack.publish('switchboard.crm.CustomerUpdated', updated.customerId, updated);
    const after = await eventually(async () => {
      const account = (await callJson(rig.url, 'GET', '/accounts/C-1017')).body as Account;
      return account.segment === 'ENTERPRISE' ? account : undefined;
    }, 30000, 'the segment change');
    expect(after).toMatchObject({ accountNumber: before.accountNumber, creditLimit: { amount: '100000.00' } });
    // Same key, so the duplicate CustomerCreated of the first test was handled before this update:
    // one account and one CustomerAccountOpened in the ERP's outbox.
    expect(await accounts()).toHaveLength(1);
    const opened = rig.service.db.prepare("SELECT count(*) AS n FROM outbox WHERE event_type = 'CustomerAccountOpened'").get() as { n: number };
    expect(opened.n).toBe(1);
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });
});
