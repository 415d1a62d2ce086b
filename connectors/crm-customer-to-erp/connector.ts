import { defineConnector, http, mappingError, xref, type HttpResponse } from '../../hub/sdk/index.js';
import { topicSpec } from '../../catalogue/index.js';

/**
 * Flow 1: every CRM customer gets an ERP debtor account. CustomerCreated and CustomerUpdated
 * both carry the full current state, so both upsert `PUT /accounts/:crmCustomerId`
 * `{name, segment}`; the ERP derives the credit limit from the segment and publishes
 * CustomerAccountOpened (or CreditStatusChanged when a new segment moves the limit) itself.
 * The account number the ERP assigned is recorded as the customer's ERP cross-reference,
 * which flow 4 needs before it can place sales orders.
 */
export default defineConnector({
  name: 'crm-customer-to-erp',
  description: 'Opens or updates the ERP debtor account (credit limit by segment) of each CRM customer',
  source: { topics: [topicSpec('crm', 'customer')], eventTypes: ['switchboard.crm.CustomerCreated', 'switchboard.crm.CustomerUpdated'] },
  target: { system: 'erp' },
  map: (event) => {
    const { customerId, name, segment } = event.value;
    // The ERP refuses a blank or overlong name (400); say so here, with the customer, instead.
    if (name.trim() === '' || name.length > 200) throw mappingError(`customer ${customerId}: name must be 1..200 characters with a non-blank one`);
    return [
      http({
        method: 'PUT',
        path: `/accounts/${encodeURIComponent(customerId)}`,
        body: { name, segment },
        onResponse: (response) => [xref.put('customer', { crm: customerId, erp: accountNumberOf(response, customerId) })],
      }),
    ];
  },
});

function accountNumberOf(response: HttpResponse, customerId: string): string {
  const body = response.body as { accountNumber?: unknown } | undefined;
  if (typeof body?.accountNumber !== 'string' || body.accountNumber === '') {
    throw mappingError(`the ERP answered ${response.status} for customer ${customerId} without an accountNumber`);
  }
  return body.accountNumber;
}
