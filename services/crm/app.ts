import { Outbox, buildServiceApp, openDatabase, type CreateServiceApp } from '../../hub/service/index.js';
import { createLogger } from '../../hub/log/logger.js';
import { Customers } from './customers.js';
import { CRM_MIGRATIONS } from './migrations.js';
import { Orders } from './orders.js';
import { Catalogue } from './products.js';
import { registerCustomerRoutes } from './routes/customers.js';
import { registerOrderRoutes } from './routes/orders.js';
import { registerProductRoutes } from './routes/products.js';

/**
 * Builds the CRM: opens (and migrates) its database and registers its routes. Closing the
 * app closes the database. `dbPath: ':memory:'` gives a throwaway CRM for tests.
 *
 * @example
 * ```ts
 * const { app } = await createCrmApp({ dbPath: ':memory:' });
 * const res = await app.inject({ method: 'POST', url: '/customers', payload: { ... } });
 * ```
 */
export const createCrmApp: CreateServiceApp = async (options) => {
  const logger = options.logger ?? createLogger('crm', { defaultLevel: 'warn' });
  const db = openDatabase(options.dbPath, CRM_MIGRATIONS);
  const outbox = new Outbox(db, 'crm');
  const store = { db, outbox };
  const customers = new Customers(store);
  const orders = new Orders(store, customers);
  const catalogue = new Catalogue(store);
  const app = await buildServiceApp({
    name: 'crm', description: 'Customers, orders and the product catalogue', db, logger, docsUi: options.docsUi, auth: options.auth,
    routes: (scope) => {
      registerCustomerRoutes(scope, store, customers, orders);
      registerOrderRoutes(scope, store, orders);
      registerProductRoutes(scope, store, catalogue);
    },
  });
  app.addHook('onClose', async () => { db.close(); });
  return { app, db, outbox };
};
