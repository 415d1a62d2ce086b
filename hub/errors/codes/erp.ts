import { defineArea } from './define.js';

/**
 * The ERP service's API (services/erp). The `_NOT_YET` codes are the retriable 404s of
 * records that arrive through another flow (a connector retries until they are there).
 */
export const ERP = defineArea('ERP', 'The ERP service\'s API: accounts, products, inventory, sales orders, invoices and payments. A `_NOT_YET` code is a 404 for a record that may still be on its way through another flow: retry.', {
  ACCOUNT_NOT_FOUND: { status: 404, retriable: false, description: 'No account with that number; check the number.' },
  ACCOUNT_NOT_YET: { status: 404, retriable: true, description: 'No ERP account for the CRM customer yet; it is opened when the customer arrives (crm-customer-to-erp). Retry.' },
  CURRENCY_UNSUPPORTED: { status: 422, retriable: false, description: 'An amount is not in the ERP\'s book currency; the message names the field and the currency to use.' },
  PRODUCT_NOT_FOUND: { status: 404, retriable: false, description: 'No product with that SKU; check the SKU.' },
  PRODUCT_NOT_YET: { status: 404, retriable: true, description: 'No product with that SKU yet, for a record that refers to it (stock movement, purchase order); retry once the product exists.' },
  PRODUCT_EXISTS: { status: 409, retriable: false, description: 'A product with that SKU already exists; update it instead.' },
  SALES_ORDER_NOT_FOUND: { status: 404, retriable: false, description: 'No sales order with that number; check the number.' },
  SALES_ORDER_NOT_YET: { status: 404, retriable: true, description: 'No such sales order yet (for a CRM order, an invoice or a cancellation); it is created from the CRM order (crm-order-to-erp). Retry.' },
  SALES_ORDER_NOT_CANCELLABLE: { status: 409, retriable: false, description: 'The sales order is already invoiced; issue a credit note instead of cancelling.' },
  SALES_ORDER_REJECTED: { status: 409, retriable: false, description: 'The sales order was rejected and cannot be invoiced.' },
  INVOICE_NOT_FOUND: { status: 404, retriable: false, description: 'No invoice with that number; check the number.' },
  PAYMENT_CURRENCY_MISMATCH: { status: 422, retriable: false, description: 'The payment is in another currency than the invoice; pay in the invoice\'s currency.' },
  PAYMENT_NOT_POSITIVE: { status: 422, retriable: false, description: 'A payment of zero or less; send a positive amount.' },
  PAYMENT_EXCEEDS_OUTSTANDING: { status: 422, retriable: false, description: 'The payment is larger than what is outstanding on the invoice; the message says how much is.' },
});
