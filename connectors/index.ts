/**
 * The connector registry: one line per connector folder. `switchboard worker` runs these
 * (all, or those named with --connector). The numbers are the flows of docs/flows.md.
 * `switchboard connector new` adds its lines here.
 */
import { declarativeConnectorFile, loadDeclarativeConnector } from '../hub/declarative/index.js';
import type { ConnectorDefinition } from '../hub/sdk/index.js';
import crmCustomerToErp from './crm-customer-to-erp/connector.js'; // 1
import erpAccountToCrm from './erp-account-to-crm/connector.js'; // 3
import crmOrderToErp from './crm-order-to-erp/connector.js'; // 4
import erpOrderToCrm from './erp-order-to-crm/connector.js'; // 6
import scmStockToErp from './scm-stock-to-erp/connector.js'; // 7
import scmStockToCrm from './scm-stock-to-crm/connector.js'; // 8
import scmShipmentToErp from './scm-shipment-to-erp/connector.js'; // 9
import scmShipmentToCrm from './scm-shipment-to-crm/connector.js'; // 10
import erpInvoiceToCrm from './erp-invoice-to-crm/connector.js'; // 11
import erpProductToCrm from './erp-product-to-crm/connector.js'; // 12
import scmReorderToErp from './scm-reorder-to-erp/connector.js'; // 13
import erpPoToScm from './erp-po-to-scm/connector.js'; // 14

/** A connector written as `connectors/<name>/connector.yaml` (YAML and JSONata; docs/connector-guide.md), found from the project root also when this runs compiled. */
const declarative = (name: string): ConnectorDefinition => loadDeclarativeConnector(declarativeConnectorFile(name));

export const CONNECTORS: readonly ConnectorDefinition[] = Object.freeze([
  crmCustomerToErp,
  declarative('crm-customer-to-scm'), // 2
  erpAccountToCrm,
  crmOrderToErp,
  declarative('erp-order-to-scm'), // 5
  erpOrderToCrm,
  scmStockToErp,
  scmStockToCrm,
  scmShipmentToErp,
  scmShipmentToCrm,
  erpInvoiceToCrm,
  erpProductToCrm,
  declarative('erp-product-to-scm'), // 12
  scmReorderToErp,
  erpPoToScm,
  declarative('legacy-stock-to-scm'), // the legacy warehouse, through change-data capture (docs/adapters.md)
]);
