import { defineConnector, http, mappingError, missingDependency, type Action, type HttpResponse } from '../../hub/sdk/index.js';
import type { Money } from '../../catalogue/index.js';
import { topicSpec } from '../../catalogue/index.js';

/** Cents of a two-decimal amount such as "12.50", or a mapping error naming `what`. */
function cents(money: Money, what: string): number {
  if (!/^\d+(\.\d{1,2})?$/.test(money.amount)) throw mappingError(`${what} ${JSON.stringify(money.amount)} is not a non-negative decimal amount`);
  const [whole = '0', fraction = ''] = money.amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** The invoice the CRM shows on an order (`GET /orders/:id`), when it has one. */
interface RecordedInvoice {
  readonly number: string;
  readonly amount: Money;
  readonly outstanding: Money | null;
}

function recordedInvoice(response: HttpResponse): RecordedInvoice | undefined {
  const invoice = (response.body as { invoice?: Partial<RecordedInvoice> | null } | undefined)?.invoice;
  if (!invoice || typeof invoice.number !== 'string' || !invoice.amount) return undefined;
  return { number: invoice.number, amount: invoice.amount, outstanding: invoice.outstanding ?? null };
}

const invoicePath = (crmOrderId: string): string => `/orders/${encodeURIComponent(crmOrderId)}/invoice`;

/**
 * Flow 11: the CRM order shows INVOICED when the ERP issues its invoice, then PARTIALLY_PAID
 * or PAID as payments arrive, with the invoice amount and what is still outstanding.
 *
 * The customer's balance: the ERP publishes CreditStatusChanged (with the new balance) in the
 * same transaction as every InvoiceIssued and PaymentReceived, and flow 3
 * (erp-account-to-crm) writes it to the CRM customer in the account's own event order. This
 * connector does not write the balance too: its events are keyed by order, so two orders of
 * one customer may be applied out of order and would leave a stale balance behind, and the
 * CRM's account route needs the credit status, which these events do not carry.
 *
 * PaymentReceived does not carry the invoice amount, which the CRM's invoice route requires,
 * so the mapping first reads the order (`GET /orders/:id`) and takes the amount the CRM
 * recorded from InvoiceIssued. The invoice's events share the order's key, so InvoiceIssued
 * is applied first; should the CRM not have it (it was dead-lettered), the payment is a
 * missing dependency and retried. A payment report older than what the CRM shows (an
 * operator replaying an old dead letter) changes nothing: outstanding amounts only fall.
 */
export default defineConnector({
  name: 'erp-invoice-to-crm',
  description: 'Shows CRM orders INVOICED, PARTIALLY_PAID or PAID with amount and outstanding',
  source: { topics: [topicSpec('erp', 'invoice')], eventTypes: ['switchboard.erp.InvoiceIssued', 'switchboard.erp.PaymentReceived'] },
  target: { system: 'crm' },
  map: (event) => {
    if (event.type === 'switchboard.erp.InvoiceIssued') {
      const { value } = event;
      cents(value.amount, `invoice ${value.invoiceNumber} amount`);
      return [
        http({
          method: 'PUT',
          path: invoicePath(value.crmOrderId),
          body: { invoiceNumber: value.invoiceNumber, status: 'ISSUED', amount: value.amount, outstanding: value.amount },
        }),
      ];
    }
    const { value } = event;
    const outstanding = cents(value.invoiceOutstanding, `payment ${value.paymentId} outstanding`);
    if (cents(value.amount, `payment ${value.paymentId} amount`) === 0) throw mappingError(`payment ${value.paymentId} is of zero`);
    if (value.amount.currency !== value.invoiceOutstanding.currency) {
      throw mappingError(`payment ${value.paymentId} is in ${value.amount.currency} but its invoice in ${value.invoiceOutstanding.currency}`);
    }
    if (value.invoiceSettled !== (outstanding === 0)) {
      throw mappingError(`payment ${value.paymentId}: invoiceSettled is ${String(value.invoiceSettled)} with ${value.invoiceOutstanding.amount} outstanding`);
    }
    return [
      http({
        method: 'GET',
        path: `/orders/${encodeURIComponent(value.crmOrderId)}`,
        onResponse: (response): readonly Action[] => {
          const recorded = recordedInvoice(response);
          if (!recorded || recorded.number !== value.invoiceNumber) {
            throw missingDependency(`CRM order ${value.crmOrderId} does not show invoice ${value.invoiceNumber} yet`);
          }
          if (recorded.outstanding && cents(recorded.outstanding, 'recorded outstanding') < outstanding) return [];
          return [
            http({
              method: 'PUT',
              path: invoicePath(value.crmOrderId),
              body: {
                invoiceNumber: value.invoiceNumber,
                status: value.invoiceSettled ? 'PAID' : 'PARTIALLY_PAID',
                amount: recorded.amount,
                outstanding: value.invoiceOutstanding,
              },
            }),
          ];
        },
      }),
    ];
  },
});
