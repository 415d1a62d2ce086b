import { defineConnector, http } from '../../hub/sdk/index.js';
import { topicSpec } from '../../catalogue/index.js';

/**
 * Flow 3: the CRM's customer 360 shows the ERP account: `PUT /customers/:id/erp-account`.
 * CustomerAccountOpened brings the account number, credit status and limit (the balance of a
 * new account is zero, which the CRM assumes); CreditStatusChanged brings status, limit and
 * the open balance. Both events are keyed by the CRM customer id, so they arrive in order.
 */
export default defineConnector({
  name: 'erp-account-to-crm',
  description: 'Shows the ERP account number, credit status, credit limit and balance on the CRM customer',
  source: {
    topics: [topicSpec('erp', 'customer-account')],
    eventTypes: ['switchboard.erp.CustomerAccountOpened', 'switchboard.erp.CreditStatusChanged'],
  },
  target: { system: 'crm' },
  map: (event) => {
    const path = `/customers/${encodeURIComponent(event.value.crmCustomerId)}/erp-account`;
    if (event.type === 'switchboard.erp.CustomerAccountOpened') {
      const { accountNumber, creditStatus, creditLimit } = event.value;
      return [http({ method: 'PUT', path, body: { accountNumber, creditStatus, creditLimit } })];
    }
    const { accountNumber, creditStatus, creditLimit, balance } = event.value;
    return [http({ method: 'PUT', path, body: { accountNumber, creditStatus, creditLimit, balance } })];
  },
});
