import { defineArea } from './define.js';

/** The CRM service's API (services/crm). */
export const CRM = defineArea('CRM', 'The CRM service\'s API: customers, orders and the product catalogue.', {
  CUSTOMER_NOT_FOUND: { status: 404, retriable: false, description: 'No customer with that id; check the id.' },
  CUSTOMER_EMAIL_TAKEN: { status: 409, retriable: false, description: 'The e-mail address belongs to another customer; use another or update that customer.' },
  CUSTOMER_NOT_UPDATABLE: { status: 409, retriable: false, description: 'The customer is deactivated and can no longer be changed.' },
  CUSTOMER_INACTIVE: { status: 422, retriable: false, description: 'The customer is deactivated and cannot place orders.' },
  CUSTOMER_HAS_OPEN_ORDERS: { status: 422, retriable: false, description: 'The customer has open orders; cancel or complete them before deactivating.' },
  ORDER_NOT_FOUND: { status: 404, retriable: false, description: 'No order with that id; check the id.' },
  ORDER_DUPLICATE_SKU: { status: 400, retriable: false, description: 'A SKU appears on two lines of the order; put its whole quantity on one line.' },
  ORDER_NOT_CANCELLABLE: { status: 409, retriable: false, description: 'Only a placed or confirmed order can be cancelled; this one was rejected, shipped or delivered.' },
  ORDER_STATE: { status: 409, retriable: false, description: 'The order is not in a status that allows this step (e.g. confirming a rejected order); the message says which.' },
  PRODUCT_NOT_FOUND: { status: 404, retriable: false, description: 'The SKU is not in the CRM\'s product catalogue; it arrives from the ERP (check the erp-product-to-crm connector).' },
});
