import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { mappingContext, onlyHttp, testEvent } from '../../tests/kit/index.js';
import connector from './connector.js';

const confirmed = EXAMPLE_EVENTS['switchboard.erp.SalesOrderConfirmed'];
const rejected = EXAMPLE_EVENTS['switchboard.erp.SalesOrderRejected'];
const ctx = mappingContext({ connector: 'erp-order-to-crm' });

describe('erp-order-to-crm', () => {
  it('declares its source, event types and target', () => {
    expect(connector.source).toEqual({ topics: ['erp.sales-order.v1'], eventTypes: ['switchboard.erp.SalesOrderConfirmed', 'switchboard.erp.SalesOrderRejected'] });
    expect(connector.target).toEqual({ system: 'crm' });
  });

  it('confirms the CRM order with the ERP order number', async () => {
    expect(onlyHttp(await connector.map(testEvent('switchboard.erp.SalesOrderConfirmed', confirmed), ctx))).toEqual({
      kind: 'http', method: 'POST', path: '/orders/O-50123/confirm', body: { erpOrderNumber: 'SO-2024-0042' },
    });
  });

  it('rejects the CRM order with reason code and message', async () => {
    expect(onlyHttp(await connector.map(testEvent('switchboard.erp.SalesOrderRejected', rejected), ctx))).toEqual({
      kind: 'http', method: 'POST', path: '/orders/O-50125/reject', body: { reasonCode: 'CREDIT_HOLD', message: 'Account 100012 is on credit hold' },
    });
  });

  it('passes the ERP order number of a rejected order when the ERP created one', async () => {
    const action = onlyHttp(await connector.map(testEvent('switchboard.erp.SalesOrderRejected', { ...rejected, salesOrderNumber: 'SO-77', reasonCode: 'UNKNOWN_PRODUCT', message: 'unknown SKU: X' }), ctx));
    expect(action.body).toEqual({ reasonCode: 'UNKNOWN_PRODUCT', message: 'unknown SKU: X', erpOrderNumber: 'SO-77' });
  });

  it('fits the message to what the CRM takes: a blank one is left out, a long one shortened to 500 characters', async () => {
    const blank = onlyHttp(await connector.map(testEvent('switchboard.erp.SalesOrderRejected', { ...rejected, message: '  ' }), ctx));
    expect(blank.body).toEqual({ reasonCode: 'CREDIT_HOLD' });
    const long = onlyHttp(await connector.map(testEvent('switchboard.erp.SalesOrderRejected', { ...rejected, message: 'x'.repeat(800) }), ctx));
    expect((long.body as { message: string }).message).toHaveLength(500);
  });
});
