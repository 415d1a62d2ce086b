import { defineConnector, http } from '../../hub/sdk/index.js';
import { topicSpec } from '../../catalogue/index.js';

/**
 * Flow 6: the sales rep sees the ERP's decision on the CRM order.
 * SalesOrderConfirmed → `POST /orders/:id/confirm {erpOrderNumber}` (CONFIRMED);
 * SalesOrderRejected → `POST /orders/:id/reject {reasonCode, message?, erpOrderNumber?}`
 * (REJECTED with the reason). The CRM records a late decision on a cancelled order in the
 * order's timeline instead of refusing it.
 */
export default defineConnector({
  name: 'erp-order-to-crm',
  description: 'Shows the ERP decision on each CRM order: CONFIRMED with the ERP order number, or REJECTED with the reason',
  source: { topics: [topicSpec('erp', 'sales-order')], eventTypes: ['switchboard.erp.SalesOrderConfirmed', 'switchboard.erp.SalesOrderRejected'] },
  target: { system: 'crm' },
  map: (event) => {
    const path = (action: 'confirm' | 'reject'): string => `/orders/${encodeURIComponent(event.value.crmOrderId)}/${action}`;
    if (event.type === 'switchboard.erp.SalesOrderConfirmed') {
      return [http({ method: 'POST', path: path('confirm'), body: { erpOrderNumber: event.value.salesOrderNumber } })];
    }
    const { reasonCode, message, salesOrderNumber } = event.value;
    const body: { reasonCode: string; message?: string; erpOrderNumber?: string } = { reasonCode };
    // The CRM takes a non-blank message of at most 500 characters; the code alone still says why.
    if (message.trim()) body.message = message.length > 500 ? `${message.slice(0, 499)}…` : message;
    if (salesOrderNumber) body.erpOrderNumber = salesOrderNumber;
    return [http({ method: 'POST', path: path('reject'), body })];
  },
});
