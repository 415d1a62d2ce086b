import { z } from 'zod';
import { SYSTEMS, defaultSystemUrl, systemVariables, type SystemName } from '../../catalogue/index.js';
import { loadConfig } from './load-config.js';

const httpUrl = z
  .string()
  .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'must be an http(s) URL, e.g. http://127.0.0.1:3001')
  .transform((url) => url.replace(/\/+$/, ''));

/**
 * Where each system's HTTP API is reached (`CRM_URL`, `ERP_URL`, `SCM_URL`), validated; a
 * system whose variable is unset is on this machine at its catalogue port.
 *
 * @example
 * ```ts
 * loadSystemUrls({ ERP_URL: 'https://erp.example.com/' }).erp; // 'https://erp.example.com'
 * ```
 */
export function loadSystemUrls(env: NodeJS.ProcessEnv = process.env): Readonly<Record<SystemName, string>> {
  const shape = Object.fromEntries(
    SYSTEMS.map((system) => [systemVariables(system.name).url, httpUrl.default(defaultSystemUrl(system.name)).describe(`base URL of the ${system.title} API`)]),
  );
  const config = loadConfig('system URLs', shape, env) as Record<string, string>;
  return Object.freeze(Object.fromEntries(SYSTEMS.map((system) => [system.name, config[systemVariables(system.name).url]]))) as Record<SystemName, string>;
}
