/**
 * Who may write to the systems' APIs: one principal per connector, with the routes it calls, and
 * `operator` for people (the demo, seeding, an operator at a terminal) with every scope. The
 * composition root owns this table because it is the one place that knows both the connectors
 * and the services; `bin/service-credentials.test.ts` derives each connector's calls from its
 * mapping and checks them against this table and the services' route tables.
 *
 * `switchboard up` (and the testing kit) provisions a token for each principal into the
 * credentials file; the services grant exactly these scopes. A connector that starts calling a
 * new route gets its scope here, in the same change.
 */
import type { PrincipalSpec } from '../hub/auth/index.js';

/** The scopes of each connector: `<system>:<METHOD> <route>` of every write it makes. */
export const CONNECTOR_SCOPES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'crm-customer-to-erp': ['erp:PUT /accounts/:crmCustomerId'],
  'crm-customer-to-scm': ['scm:PUT /consignees/:crmCustomerId'],
  'erp-account-to-crm': ['crm:PUT /customers/:id/erp-account'],
  'crm-order-to-erp': ['erp:POST /sales-orders', 'erp:POST /sales-order-cancellations'],
  'erp-order-to-scm': ['scm:POST /fulfilments', 'scm:POST /shipments/:id/cancel'],
  'erp-order-to-crm': ['crm:POST /orders/:id/confirm', 'crm:POST /orders/:id/reject'],
  'scm-stock-to-erp': ['erp:POST /inventory/movements'],
  'scm-stock-to-crm': ['crm:PUT /products/:sku/availability'],
  'scm-shipment-to-erp': ['erp:POST /invoices'],
  'scm-shipment-to-crm': ['crm:POST /orders/:id/ship', 'crm:POST /orders/:id/deliver'],
  'erp-invoice-to-crm': ['crm:PUT /orders/:id/invoice'],
  'erp-product-to-crm': ['crm:PUT /products/:sku'],
  'erp-product-to-scm': ['scm:PUT /items/:sku'],
  'scm-reorder-to-erp': ['erp:POST /purchase-orders'],
  'erp-po-to-scm': ['scm:POST /expected-receipts'],
});

/** The principal of people: the demo, tests seeding data, an operator with curl. Every scope. */
export const OPERATOR_PRINCIPAL: PrincipalSpec = Object.freeze({ name: 'operator', scopes: Object.freeze(['*']) });

/**
 * Every principal to provision: each connector named (with its scopes; none for a connector the
 * table does not list) and the operator.
 *
 * @example
 * ```ts
 * ensureCredentialsFile(path, servicePrincipals(CONNECTORS.map((c) => c.name)));
 * ```
 */
export function servicePrincipals(connectorNames: readonly string[]): PrincipalSpec[] {
  return [...connectorNames.map((name) => ({ name, scopes: [...(CONNECTOR_SCOPES[name] ?? [])] })), OPERATOR_PRINCIPAL];
}
