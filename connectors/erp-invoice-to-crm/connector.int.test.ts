import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { callJson, eventually, statsWhen, useConnectorRig, withFastRetries } from '../../tests/kit/index.js';
import { createCrmCustomer, placeCrmOrder } from '../../tests/kit/crm-seed.js';
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
  const rig = useConnectorRig('crm', withFastRetries(connector), 'c11');
  let customerId: string;

  const placeOrder = (): Promise<string> => placeCrmOrder(rig.url, customerId);
  const order = async (id: string): Promise<Order> => (await callJson(rig.url, 'GET', `/orders/${id}`)).body as Order;

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
    // Same key, so every duplicate was settled before the last payment applied: three applied, three skipped.
    expect(await statsWhen(rig.worker, 'all six records settled', (stats) => stats.delivered + stats.skipped >= 6)).toMatchObject({ delivered: 3, skipped: 3 });
    expect(final.invoice).toEqual({ number: 'INV-2024-0107', status: 'PAID', amount: eur('2199.83'), outstanding: eur('0.00') });
    expect((await order(id)).timeline.map((step) => step.status)).toEqual(['PLACED', 'INVOICED', 'PARTIALLY_PAID', 'PAID']);
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });

  it('holds a payment for an invoice the CRM does not show yet (missing dependency, parked), and applies it once the invoice shows', async () => {
    const id = await placeOrder();
    const before = { ...rig.worker.stats };
    await rig.stack.publish('switchboard.erp.PaymentReceived', id, { ...paid, crmOrderId: id, crmCustomerId: customerId });
    const waiting = await statsWhen(rig.worker, 'the payment parked', (stats) => stats.parked > before.parked);
    expect(waiting.lastError?.code).toBe('SWB_ERR_RUNTIME_MISSING_DEPENDENCY');
    expect(waiting.deadLettered).toBe(before.deadLettered);
    expect((await order(id)).invoice).toBeNull();

    // The invoice becomes visible in the CRM (as flow 11 would show it); the parked payment then applies.
    const shown = await callJson(rig.url, 'PUT', `/orders/${id}/invoice`, { invoiceNumber: issued.invoiceNumber, status: 'ISSUED', amount: issued.amount, outstanding: issued.amount });
    expect(shown.status).toBe(200);
    const settled = await eventually(async () => {
      const current = await order(id);
      return current.invoice?.status === 'PAID' ? current : undefined;
    }, 30000, 'PAID after the invoice showed');
    expect(settled.invoice).toMatchObject({ status: 'PAID', amount: eur('2199.83'), outstanding: eur('0.00') });
    expect(await rig.stack.deadLetters.list(connector.name)).toEqual([]);
  });
});
