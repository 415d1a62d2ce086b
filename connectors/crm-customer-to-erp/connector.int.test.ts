import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createErpApp, type ErpService } from '../../services/erp/app.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { startKitStack, type KitStack } from '../../tests/kit/kit-stack.js';
import { eventually } from '../../tests/support/isolation.js';
import { getJson } from '../../tests/support/perform-actions.js';
import connector from './connector.js';

interface Account { accountNumber: string; crmCustomerId: string; name: string; segment: string; creditLimit: { amount: string }; creditStatus: string }

const created = EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'];
const updated = EXAMPLE_EVENTS['switchboard.crm.CustomerUpdated'];

describe('crm-customer-to-erp against the real ERP, through the runtime', () => {
  let dir: string;
  let erp: ErpService;
  let erpUrl: string;
  let stack: KitStack;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swb-c1-'));
    erp = await createErpApp({ dbPath: join(dir, 'erp.db'), docsUi: false });
    erpUrl = await erp.app.listen({ port: 0, host: '127.0.0.1' });
    stack = await startKitStack({ label: 'c1', targetUrls: { erp: erpUrl } });
    await stack.startWorker(connector);
  });
  afterAll(async () => {
    await stack?.close();
    await erp?.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const accounts = async (): Promise<Account[]> => (await getJson(erpUrl, '/customers')).body as Account[];

  it('opens one ERP account for a created customer, even when the event comes twice, and records the cross-reference', async () => {
    const first = await stack.publish('switchboard.crm.CustomerCreated', created.customerId, created);
    await stack.publish('switchboard.crm.CustomerCreated', created.customerId, created, { id: first.id });

    const account = await eventually(async () => {
      const response = await getJson(erpUrl, `/accounts/${created.customerId}`);
      return response.status === 200 ? (response.body as Account) : undefined;
    }, 30000, 'the ERP account');
    expect(account).toMatchObject({ crmCustomerId: 'C-1017', name: 'Nordlicht Möbel GmbH', segment: 'SMB', creditLimit: { amount: '10000.00' }, creditStatus: 'OK' });
    const link = await eventually(() => stack.services.xref.get('customer', 'crm', 'C-1017', 'erp'), 30000, 'the cross-reference');
    expect(link).toBe(account.accountNumber);
  });

  it('moves the credit limit when an update changes the segment, keeping the account number', async () => {
    const before = (await getJson(erpUrl, '/accounts/C-1017')).body as Account;
    await stack.publish('switchboard.crm.CustomerUpdated', updated.customerId, updated);
    const after = await eventually(async () => {
      const account = (await getJson(erpUrl, '/accounts/C-1017')).body as Account;
      return account.segment === 'ENTERPRISE' ? account : undefined;
    }, 30000, 'the segment change');
    expect(after).toMatchObject({ accountNumber: before.accountNumber, creditLimit: { amount: '100000.00' } });
    // Same key, so the duplicate CustomerCreated of the first test was handled before this update:
    // one account and one CustomerAccountOpened in the ERP's outbox.
    expect(await accounts()).toHaveLength(1);
    const opened = erp.db.prepare("SELECT count(*) AS n FROM outbox WHERE event_type = 'CustomerAccountOpened'").get() as { n: number };
    expect(opened.n).toBe(1);
    expect(await stack.deadLetters.list(connector.name)).toEqual([]);
  });
});
