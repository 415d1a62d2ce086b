import { defineArea } from './define.js';

/** Amounts of money given to a service (hub/service). */
export const MONEY = defineArea('MONEY', 'Amounts of money given to a service.', {
  INVALID_AMOUNT: { status: 400, retriable: false, description: 'An amount is not a decimal string such as "12.50" (at most 13 digits before the point); fix the request.' },
  OUT_OF_RANGE: { status: 422, retriable: false, description: 'An amount the request leads to (a line total, an order total, a balance, a stock value) is larger than the service can hold (9999999999999.99); split the request.' },
});
