import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { useConnectorRig } from '../../tests/support/connector-rig.js';
import { createCrmCustomer, placeCrmOrder } from '../../tests/support/crm-seed.js';
import { eventually } from '../../tests/support/isolation.js';
import { MissingDependencyError } from '../../hub/sdk/index.js';
import { getJson, performEvent, testEvent } from '../../tests/support/perform-actions.js';
import connector from './connector.js';

interface Order {
  id: string;
  status: string;
  invoice: { number: string; status: string; amount: { amount: string } | null; outstanding: { amount: string } | null } | null;
  timeline: { status: string }[];
}

const issued = EXAMPLE_EVENTS['switchboard.erp.InvoiceIssued'];
const paid = EXAMPLE_EVENTS['switchboard.erp.PaymentReceived'];
const eur = (amount: string): { amount: string; currency: string } => ({ amount, currency: 'EUR' });

describe('erp-invoice-to-crm against the real CRM, through the runtime', () => {
  const rig = useConnectorRig('crm', connector, 'c11');
  let customerId: string;

  const placeOrder = (): Promise<string> => placeCrmOrder(rig.url, customerId);
  const order = async (id: string): Promise<Order> => (await getJson(rig.url, `/orders/${id}`)).body as Order;

  beforeAll(async () => {
    customerId = await createCrmCustomer(rig.url);
  });

  it('shows INVOICED, PARTIALLY_PAID and PAID with amount and outstanding, each once although every event comes twice', async () => {
    const id = await placeOrder();
    const invoice = { ...issued, crmOrderId: id, crmCustomerId: customerId };
    const part = { ...paid, paymentId: 'PAY-1', crmOrderId: id, crmCustomerId: customerId, amount: eur('1000.00'), invoiceOutstanding: eur('1199.83'), invoiceSettled: false, accountBalance: eur('1199.83') };
    const rest = { ...paid, paymentId: 'PAY-2', crmOrderId: id, crmCustomerId: customerId, amount: eur('1199.83') };
    // Every event twice with the same ce_id, as a redelivery would bring it.
    const sent = await rig.stack.publish('switchboard.erp.InvoiceIssued', id, invoice);
    await rig.stack.publish('switchboard.erp.InvoiceIssued', id, invoice, { id: sent.id });
    for (const payment of [part, rest]) {
      const once = await rig.stack.publish('switchboard.erp.PaymentReceived', id, payment);
      await rig.stack.publish('switchboard.erp.PaymentReceived', id, payment, { id: once.id });
    }
    const final = await eventually(async () => {
      const current = await order(id);
      return current.invoice?.status === 'PAID' ? current : undefined;
    }, 30000, 'PAID');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(final.invoice).toEqual({ number: 'INV-2024-0107', status: 'PAID', amount: eur('2199.83'), outstanding: eur('0.00') });
    expect((await order(id)).timeline.map((step) => step.status)).toEqual(['PLACED', 'INVOICED', 'PARTIALLY_PAID', 'PAID']);
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });

  it('waits (missing dependency) with a payment for an invoice the CRM does not show yet', async () => {
    const id = await placeOrder();
    const payment = testEvent('switchboard.erp.PaymentReceived', { ...paid, crmOrderId: id, crmCustomerId: customerId });
    await expect(performEvent(connector, payment, { baseUrl: rig.url })).rejects.toThrow(MissingDependencyError);
    expect((await order(id)).invoice).toBeNull();

    await performEvent(connector, testEvent('switchboard.erp.InvoiceIssued', { ...issued, crmOrderId: id, crmCustomerId: customerId }), { baseUrl: rig.url });
    const retried = await performEvent(connector, payment, { baseUrl: rig.url, attempt: 2 });
    expect(retried.calls.map((call) => [call.method, call.status])).toEqual([['GET', 200], ['PUT', 200]]);
    expect((await order(id)).invoice).toMatchObject({ status: 'PAID', amount: eur('2199.83'), outstanding: eur('0.00') });
  });
});
