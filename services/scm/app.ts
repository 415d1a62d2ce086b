import { Outbox, buildServiceApp, openDatabase, type CreateServiceApp } from '../../hub/service/index.js';
import { createLogger } from '../../hub/log/logger.js';
import { Fulfilments } from './fulfilments.js';
import { MasterData } from './master-data.js';
import { SCM_MIGRATIONS } from './migrations.js';
import { Receipts } from './receipts.js';
import { Stock } from './stock.js';
import { registerMasterDataRoutes } from './routes/master-data.js';
import { registerShipmentRoutes } from './routes/shipments.js';
import { registerStockRoutes } from './routes/stock.js';

/**
 * Builds the SCM: opens (and migrates) its database and registers its routes. Closing the
 * app closes the database.
 *
 * @example
 * ```ts
 * const { app, outbox } = await createScmApp({ dbPath: ':memory:' });
 * ```
 */
export const createScmApp: CreateServiceApp = async (options) => {
  const logger = options.logger ?? createLogger('scm', { defaultLevel: 'warn' });
  const db = openDatabase(options.dbPath, SCM_MIGRATIONS);
  const outbox = new Outbox(db, 'scm');
  const store = { db, outbox };
  const master = new MasterData(store);
  const stock = new Stock(store, master);
  const fulfilments = new Fulfilments(store, master, stock);
  const receipts = new Receipts(store, master, stock, fulfilments);
  const app = await buildServiceApp({
    name: 'scm', description: 'Warehouses, items, stock, fulfilments and shipments', db, logger, docsUi: options.docsUi, auth: options.auth,
    routes: (scope) => {
      registerMasterDataRoutes(scope, store, master, stock);
      registerStockRoutes(scope, store, stock, receipts);
      registerShipmentRoutes(scope, store, fulfilments);
    },
  });
  app.addHook('onClose', async () => { db.close(); });
  return { app, db, outbox };
};
