import type { SystemName } from '../../topics/catalogue.js';

/** Where each system's HTTP API listens by default (DESIGN.md: CRM 3001, ERP 3002, SCM 3003). */
const DEFAULT_URLS: Readonly<Record<SystemName, string>> = Object.freeze({
  crm: 'http://127.0.0.1:3001',
  erp: 'http://127.0.0.1:3002',
  scm: 'http://127.0.0.1:3003',
});

/** The environment variable naming a system's base URL: `CRM_URL`, `ERP_URL`, `SCM_URL`. */
export function targetUrlVariable(system: SystemName): string {
  return `${system.toUpperCase()}_URL`;
}

/** A system's base URL: the variable when set, else the local default. No trailing slash. */
export function targetBaseUrl(system: SystemName, env: NodeJS.ProcessEnv = process.env): string {
  return (env[targetUrlVariable(system)] || DEFAULT_URLS[system]).replace(/\/+$/, '');
}
