import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { MappingError, MissingDependencyError, type Action, type HttpAction } from '../../hub/sdk/index.js';
import { mappingContext, testEvent } from '../../tests/kit/index.js';
import connector from './connector.js';

const issued = EXAMPLE_EVENTS['switchboard.erp.InvoiceIssued'];
const paid = EXAMPLE_EVENTS['switchboard.erp.PaymentReceived'];
const ctx = mappingContext({ connector: connector.name });
const mapIssued = async (value: typeof issued): Promise<HttpAction[]> => (await connector.map(testEvent('switchboard.erp.InvoiceIssued', value), ctx)) as HttpAction[];
const mapPaid = async (value: typeof paid): Promise<HttpAction[]> => (await connector.map(testEvent('switchboard.erp.PaymentReceived', value), ctx)) as HttpAction[];

/** The CRM's `GET /orders/:id` answer with an invoice recorded. */
const orderWithInvoice = (invoice: unknown): { status: number; body: unknown } => ({ status: 200, body: { id: 'O-50123', status: 'SHIPPED', invoice } });
const eur = (amount: string): { amount: string; currency: string } => ({ amount, currency: 'EUR' });

/** Runs the `onResponse` of the payment's read with a CRM answer. */
async function followUp(value: typeof paid, answer: { status: number; body: unknown }): Promise<readonly Action[]> {
  const [read] = await mapPaid(value);
  expect(read).toMatchObject({ method: 'GET', path: '/orders/O-50123' });
  expect(read?.body).toBeUndefined();
  if (!read?.onResponse) throw new Error('the read has no follow-up');
  return read.onResponse(answer);
}

describe('erp-invoice-to-crm', () => {
  it('consumes InvoiceIssued and PaymentReceived from erp.invoice.v1 and calls the CRM', () => {
    expect(connector.source).toEqual({ topics: ['erp.invoice.v1'], eventTypes: ['switchboard.erp.InvoiceIssued', 'switchboard.erp.PaymentReceived'] });
    expect(connector.target).toEqual({ system: 'crm' });
  });

  it('shows the order INVOICED with the whole amount outstanding', async () => {
    expect(await mapIssued(issued)).toEqual([
      expect.objectContaining({
        kind: 'http', method: 'PUT', path: '/orders/O-50123/invoice',
        body: { invoiceNumber: 'INV-2024-0107', status: 'ISSUED', amount: eur('2199.83'), outstanding: eur('2199.83') },
      }),
    ]);
  });

  it('does not write the customer balance (flow 3 carries it from CreditStatusChanged)', async () => {
    const balanced = await mapIssued({ ...issued, accountBalance: eur('9876.54') });
    expect(balanced.map((action) => action.path)).toEqual(['/orders/O-50123/invoice']);
    expect(JSON.stringify(balanced)).not.toContain('9876.54');
  });

  it('shows a settling payment as PAID with the invoice amount the CRM recorded', async () => {
    const actions = await followUp(paid, orderWithInvoice({ number: 'INV-2024-0107', status: 'ISSUED', amount: eur('2199.83'), outstanding: eur('2199.83') }));
    expect(actions).toEqual([
      expect.objectContaining({
        kind: 'http', method: 'PUT', path: '/orders/O-50123/invoice',
        body: { invoiceNumber: 'INV-2024-0107', status: 'PAID', amount: eur('2199.83'), outstanding: eur('0.00') },
      }),
    ]);
  });

  it('shows a partial payment as PARTIALLY_PAID with what is still outstanding', async () => {
    const partial = { ...paid, amount: eur('1000.00'), invoiceOutstanding: eur('1199.83'), invoiceSettled: false, accountBalance: eur('1199.83') };
    const actions = await followUp(partial, orderWithInvoice({ number: 'INV-2024-0107', status: 'ISSUED', amount: eur('2199.83'), outstanding: eur('2199.83') }));
    expect(actions).toEqual([
      expect.objectContaining({ body: { invoiceNumber: 'INV-2024-0107', status: 'PARTIALLY_PAID', amount: eur('2199.83'), outstanding: eur('1199.83') } }),
    ]);
  });

  it('changes nothing for a payment report older than what the CRM shows', async () => {
    const first = { ...paid, amount: eur('1000.00'), invoiceOutstanding: eur('1199.83'), invoiceSettled: false };
    const actions = await followUp(first, orderWithInvoice({ number: 'INV-2024-0107', status: 'PAID', amount: eur('2199.83'), outstanding: eur('0.00') }));
    expect(actions).toEqual([]);
  });

  it('repeats the same update when the CRM already shows this payment (a retry after a lost answer)', async () => {
    const actions = await followUp(paid, orderWithInvoice({ number: 'INV-2024-0107', status: 'PAID', amount: eur('2199.83'), outstanding: eur('0.00') }));
    expect(actions).toEqual([expect.objectContaining({ method: 'PUT', body: expect.objectContaining({ status: 'PAID', outstanding: eur('0.00') }) })]);
  });

  it('treats a payment for an invoice the CRM does not show yet as a missing dependency (retried)', async () => {
    await expect(followUp(paid, orderWithInvoice(null))).rejects.toThrow(MissingDependencyError);
    await expect(followUp(paid, orderWithInvoice({ number: 'INV-OTHER', status: 'ISSUED', amount: eur('1.00'), outstanding: eur('1.00') })))
      .rejects.toMatchObject({ retriable: true, code: 'SWB_ERR_RUNTIME_MISSING_DEPENDENCY' });
  });

  it('refuses inconsistent or malformed amounts as a mapping error', async () => {
    await expect(mapIssued({ ...issued, amount: eur('-5.00') })).rejects.toThrow(MappingError);
    await expect(mapIssued({ ...issued, amount: eur('12.345') })).rejects.toThrow(MappingError);
    await expect(mapPaid({ ...paid, invoiceSettled: false })).rejects.toThrow(MappingError);
    await expect(mapPaid({ ...paid, invoiceOutstanding: eur('10.00') })).rejects.toThrow(MappingError);
    await expect(mapPaid({ ...paid, amount: eur('0.00') })).rejects.toThrow(MappingError);
    await expect(mapPaid({ ...paid, amount: { amount: '2199.83', currency: 'USD' } })).rejects.toMatchObject({ code: 'SWB_ERR_RUNTIME_MAPPING', retriable: false });
  });
});
