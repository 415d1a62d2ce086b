import { defineArea } from './define.js';

/** The SCM service's API (services/scm). */
export const SCM = defineArea('SCM', 'The SCM service\'s API: warehouses, the item master, consignees, fulfilments, shipments and expected receipts.', {
  STOCK_OUT_OF_RANGE: { status: 422, retriable: false, description: 'The movement would take a stock counter beyond what events carry (2147483647 units); book less.' },
  WAREHOUSE_NOT_FOUND: { status: 404, retriable: false, description: 'No warehouse with that id; check the id or create the warehouse.' },
  WAREHOUSE_EXISTS: { status: 409, retriable: false, description: 'A warehouse with that id already exists.' },
  NO_WAREHOUSE: { status: 422, retriable: false, description: 'The SCM has no warehouse to ship from; create one first.' },
  ITEM_NOT_FOUND: { status: 404, retriable: true, description: 'The SKU is not in the item master yet; it arrives from the ERP (erp-product-to-scm). Retry.' },
  CONSIGNEE_NOT_FOUND: { status: 404, retriable: true, description: 'No ship-to address and no consignee for the CRM customer yet; it arrives from the CRM (crm-customer-to-scm). Retry.' },
  SHIPMENT_NOT_FOUND: { status: 404, retriable: false, description: 'No shipment with that id; check the id.' },
  SHIPMENT_NOT_READY: { status: 409, retriable: false, description: 'The shipment is not fully reserved and cannot be dispatched yet.' },
  SHIPMENT_ALREADY_DISPATCHED: { status: 409, retriable: false, description: 'The shipment was already dispatched with another carrier or tracking number.' },
  SHIPMENT_NOT_DISPATCHED: { status: 409, retriable: false, description: 'Only a dispatched shipment can be delivered; dispatch it first.' },
  SHIPMENT_NOT_CANCELLABLE: { status: 422, retriable: false, description: 'The shipment has left the warehouse and cannot be cancelled.' },
  EXPECTED_RECEIPT_CONFLICT: { status: 409, retriable: false, description: 'The purchase order is already expected with other contents; use a new purchase order number.' },
});
