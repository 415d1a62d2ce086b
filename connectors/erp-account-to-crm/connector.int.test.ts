import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCrmApp, type CrmService } from '../../services/crm/app.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { startKitStack, type KitStack } from '../../tests/kit/kit-stack.js';
import { eventually } from '../../tests/support/isolation.js';
import { getJson, sendJson } from '../../tests/support/perform-actions.js';
import connector from './connector.js';

interface Customer360 { id: string; erpAccountNumber: string | null; creditStatus: string | null; creditLimit: { amount: string } | null; balance: { amount: string } | null }

const opened = EXAMPLE_EVENTS['switchboard.erp.CustomerAccountOpened'];
const changed = EXAMPLE_EVENTS['switchboard.erp.CreditStatusChanged'];
const created = EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'];

describe('erp-account-to-crm against the real CRM, through the runtime', () => {
  let dir: string;
  let crm: CrmService;
  let crmUrl: string;
  let stack: KitStack;
  let customerId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swb-c3-'));
    crm = await createCrmApp({ dbPath: join(dir, 'crm.db'), docsUi: false });
    crmUrl = await crm.app.listen({ port: 0, host: '127.0.0.1' });
    const customer = await sendJson(crmUrl, 'POST', '/customers', {
      name: created.name, email: created.email, segment: 'SMB', billingAddress: { line1: 'Hafenstraße 12', city: 'Hamburg', postalCode: '20457', country: 'DE' },
    });
    expect(customer.status).toBe(201);
    customerId = (customer.body as { id: string }).id;
    stack = await startKitStack({ label: 'c3', targetUrls: { crm: crmUrl } });
    await stack.startWorker(connector);
  });
  afterAll(async () => {
    await stack?.close();
    await crm?.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const customer = async (): Promise<Customer360> => (await getJson(crmUrl, `/customers/${customerId}`)).body as Customer360;

  it('shows the opened ERP account on the CRM customer', async () => {
    const first = await stack.publish('switchboard.erp.CustomerAccountOpened', customerId, { ...opened, crmCustomerId: customerId });
    await stack.publish('switchboard.erp.CustomerAccountOpened', customerId, { ...opened, crmCustomerId: customerId }, { id: first.id });
    const shown = await eventually(async () => {
      const current = await customer();
      return current.erpAccountNumber ? current : undefined;
    }, 30000, 'the ERP account on the customer');
    expect(shown).toMatchObject({ erpAccountNumber: '100045', creditStatus: 'OK', creditLimit: { amount: '25000.00' }, balance: { amount: '0.00' } });
  });

  it('shows a credit hold with the open balance', async () => {
    await stack.publish('switchboard.erp.CreditStatusChanged', customerId, { ...changed, crmCustomerId: customerId });
    const held = await eventually(async () => {
      const current = await customer();
      return current.creditStatus === 'HOLD' ? current : undefined;
    }, 30000, 'the credit hold');
    expect(held).toMatchObject({ erpAccountNumber: '100045', creditLimit: { amount: '25000.00' }, balance: { amount: '25320.75' } });
    expect(await stack.deadLetters.list(connector.name)).toEqual([]);
  });
});
