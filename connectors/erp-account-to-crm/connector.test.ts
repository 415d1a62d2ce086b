import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { mappingContext, onlyHttp, testEvent } from '../../tests/kit/index.js';
import connector from './connector.js';

const opened = EXAMPLE_EVENTS['switchboard.erp.CustomerAccountOpened'];
const changed = EXAMPLE_EVENTS['switchboard.erp.CreditStatusChanged'];
const ctx = mappingContext({ connector: 'erp-account-to-crm' });

describe('erp-account-to-crm', () => {
  it('declares its source, event types and target', () => {
    expect(connector.source).toEqual({
      topics: ['erp.customer-account.v1'], eventTypes: ['switchboard.erp.CustomerAccountOpened', 'switchboard.erp.CreditStatusChanged'],
    });
    expect(connector.target).toEqual({ system: 'crm' });
  });

  it('shows a newly opened account on the CRM customer (number, status, limit)', async () => {
    const action = onlyHttp(await connector.map(testEvent('switchboard.erp.CustomerAccountOpened', opened), ctx));
    expect(action).toEqual({
      kind: 'http', method: 'PUT', path: '/customers/C-1017/erp-account',
      body: { accountNumber: '100045', creditStatus: 'OK', creditLimit: { amount: '25000.00', currency: 'EUR' } },
    });
  });

  it('shows a credit status change with the limit and the open balance', async () => {
    const action = onlyHttp(await connector.map(testEvent('switchboard.erp.CreditStatusChanged', changed), ctx));
    expect(action).toEqual({
      kind: 'http', method: 'PUT', path: '/customers/C-1017/erp-account',
      body: {
        accountNumber: '100045', creditStatus: 'HOLD',
        creditLimit: { amount: '25000.00', currency: 'EUR' }, balance: { amount: '25320.75', currency: 'EUR' },
      },
    });
  });

  it('sends no fields the CRM route does not take (reason, previous status, times)', async () => {
    const action = onlyHttp(await connector.map(testEvent('switchboard.erp.CreditStatusChanged', { ...changed, reason: 'x', previousCreditStatus: 'OK' }), ctx));
    expect(Object.keys(action.body as object).sort()).toEqual(['accountNumber', 'balance', 'creditLimit', 'creditStatus']);
  });
});
