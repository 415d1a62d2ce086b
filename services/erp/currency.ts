import { ERRORS, BusinessRuleError, moneySchema, type Money } from '../../hub/service/index.js';

/** The ERP keeps its books in one currency. */
export const ERP_CURRENCY = 'EUR';

/** `Money` as the ERP's routes take it: the books' currency only, so the OpenAPI document says so. */
export const erpMoneySchema = {
  ...moneySchema,
  properties: { ...moneySchema.properties, currency: { type: 'string', enum: [ERP_CURRENCY] } },
} as const;

/** Refuses money in another currency than the books' (422, naming the field). */
export function assertErpCurrency(value: Money, field: string): void {
  if (value.currency !== ERP_CURRENCY) {
    throw new BusinessRuleError(ERRORS.ERP_CURRENCY_UNSUPPORTED.code, `the ERP keeps its books in ${ERP_CURRENCY}; ${field} is ${value.currency}`, { field });
  }
}
