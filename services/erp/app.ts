import { Outbox, buildServiceApp, openDatabase, type CreateServiceApp } from '../../hub/service/index.js';
import { createLogger } from '../../hub/log/logger.js';
import { Accounts } from './accounts.js';
import { Inventory } from './inventory.js';
import { Invoices } from './invoices.js';
import { ERP_MIGRATIONS } from './migrations.js';
import { Products } from './products.js';
import { PurchaseOrders } from './purchase-orders.js';
import { SalesOrders } from './sales-orders.js';
import { registerAccountRoutes } from './routes/accounts.js';
import { registerInventoryRoutes } from './routes/inventory.js';
import { registerInvoiceRoutes } from './routes/invoices.js';
import { registerProductRoutes } from './routes/products.js';
import { registerSalesOrderRoutes } from './routes/sales-orders.js';

/**
 * Builds the ERP: opens (and migrates) its database and registers its routes. Closing the
 * app closes the database.
 *
 * @example
 * ```ts
 * const { app, outbox } = await createErpApp({ dbPath: ':memory:' });
 * ```
 */
export const createErpApp: CreateServiceApp = async (options) => {
  const logger = options.logger ?? createLogger('erp', { defaultLevel: 'warn' });
  const db = openDatabase(options.dbPath, ERP_MIGRATIONS);
  const outbox = new Outbox(db, 'erp');
  const store = { db, outbox };
  const accounts = new Accounts(store);
  const products = new Products(store);
  const salesOrders = new SalesOrders(store, accounts, products);
  const invoices = new Invoices(store, accounts, salesOrders);
  const inventory = new Inventory(store, products);
  const purchaseOrders = new PurchaseOrders(store, products);
  const app = await buildServiceApp({
    name: 'erp', description: 'Accounts, products, sales orders, invoices, inventory and purchasing', db, logger, docsUi: options.docsUi, auth: options.auth,
    routes: (scope) => {
      registerAccountRoutes(scope, store, accounts);
      registerProductRoutes(scope, store, products);
      registerSalesOrderRoutes(scope, store, salesOrders);
      registerInvoiceRoutes(scope, store, invoices);
      registerInventoryRoutes(scope, store, inventory, purchaseOrders);
    },
  });
  app.addHook('onClose', async () => { db.close(); });
  return { app, db, outbox };
};
