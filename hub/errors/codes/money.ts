import { defineArea } from './define.js';

/** Amounts of money given to a service (hub/service). */
export const MONEY = defineArea('MONEY', 'Amounts of money given to a service.', {
  INVALID_AMOUNT: { status: 400, retriable: false, description: 'An amount is not a decimal string such as "12.50"; fix the request.' },
});
