/**
 * The connector registry: one line per connector folder. `switchboard worker` runs these
 * (all, or those named with --connector). The numbers are the flows of docs/flows.md.
 */
import type { ConnectorDefinition } from '../hub/sdk/index.js';
import crmCustomerToErp from './crm-customer-to-erp/connector.js'; // 1
import crmCustomerToScm from './crm-customer-to-scm/connector.js'; // 2
import erpAccountToCrm from './erp-account-to-crm/connector.js'; // 3
import crmOrderToErp from './crm-order-to-erp/connector.js'; // 4
import erpOrderToScm from './erp-order-to-scm/connector.js'; // 5
import erpOrderToCrm from './erp-order-to-crm/connector.js'; // 6
import scmStockToErp from './scm-stock-to-erp/connector.js'; // 7
import scmStockToCrm from './scm-stock-to-crm/connector.js'; // 8
import scmShipmentToErp from './scm-shipment-to-erp/connector.js'; // 9
import scmShipmentToCrm from './scm-shipment-to-crm/connector.js'; // 10
import erpInvoiceToCrm from './erp-invoice-to-crm/connector.js'; // 11
import erpProductToCrm from './erp-product-to-crm/connector.js'; // 12
import erpProductToScm from './erp-product-to-scm/connector.js'; // 12
import scmReorderToErp from './scm-reorder-to-erp/connector.js'; // 13
import erpPoToScm from './erp-po-to-scm/connector.js'; // 14

export const CONNECTORS: readonly ConnectorDefinition[] = Object.freeze([
  crmCustomerToErp,
  crmCustomerToScm,
  erpAccountToCrm,
  crmOrderToErp,
  erpOrderToScm,
  erpOrderToCrm,
  scmStockToErp,
  scmStockToCrm,
  scmShipmentToErp,
  scmShipmentToCrm,
  erpInvoiceToCrm,
  erpProductToCrm,
  erpProductToScm,
  scmReorderToErp,
  erpPoToScm,
]);
