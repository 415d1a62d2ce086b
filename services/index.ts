/**
 * The service registry: how to build each system's service, by system name. The composition
 * root (bin/) runs them, the testing kit starts them in-process. Each is loaded only when asked
 * for, so a process running one service does not load the others.
 */
import type { SystemName } from '../catalogue/index.js';
import type { CreateServiceApp } from '../hub/service/index.js';

export const SERVICE_APPS: Readonly<Record<SystemName, () => Promise<CreateServiceApp>>> = Object.freeze({
  crm: async () => (await import('./crm/app.js')).createCrmApp,
  erp: async () => (await import('./erp/app.js')).createErpApp,
  scm: async () => (await import('./scm/app.js')).createScmApp,
});
