import { SYSTEM_NAMES } from '../../catalogue/index.js';
import { loadAdminConfig } from '../admin/admin-config.js';
import { cdcConfigured } from '../adapters/cdc/cdc-config.js';
import { loadWebhooksConfig, webhooksConfigured } from '../adapters/webhooks/webhook-config.js';
import { loadSchemaRegistryClientConfig } from '../schema/client/registry-client.js';
import { loadRegistryConfig } from '../schema/registry/config.js';
import { loadServiceConfig } from '../service/start.js';
import { loadWorkerMetricsConfig } from '../telemetry/index.js';
import type { ManagedProcess } from './supervisor.js';
import { httpAnswers } from './supervisor.js';

/**
 * Every long-running part of the system that `switchboard up` starts, in start order, on the
 * ports their own configuration names. Adding a part to the whole system is one line here.
 * Each part with a `url` serves `/metrics` there (the worker's url is its metrics endpoint), so
 * `up` has Prometheus scrape every one (metricsTargets). The supervisor gives each its command's
 * Node flags and malloc settings (process-tuning.ts).
 */
export function systemProcesses(env: NodeJS.ProcessEnv = process.env): ManagedProcess[] {
  const processes: ManagedProcess[] = [];
  if (loadSchemaRegistryClientConfig(env).builtIn) {
    const url = `http://127.0.0.1:${loadRegistryConfig(env).port}`;
    processes.push({ name: 'registry', args: ['registry'], url, ready: () => httpAnswers(`${url}/subjects`) });
  }
  for (const name of SYSTEM_NAMES) {
    const url = `http://127.0.0.1:${loadServiceConfig(name, env).port}`;
    processes.push({ name, args: ['service', name], url, ready: () => httpAnswers(`${url}/readyz`) });
  }
  // The adapters, when configured: change-data capture of a PostgreSQL database, signed webhooks in.
  if (cdcConfigured(env)) processes.push({ name: 'cdc', args: ['cdc'], readyLine: /^cdc streaming/ });
  if (webhooksConfigured(env)) {
    const url = `http://127.0.0.1:${loadWebhooksConfig(env).port}`;
    processes.push({ name: 'webhooks', args: ['webhooks'], url, ready: () => httpAnswers(`${url}/readyz`) });
  }
  // Every connector in one worker process; start more `switchboard worker` processes to scale out.
  processes.push({ name: 'worker', args: ['worker'], url: `http://127.0.0.1:${loadWorkerMetricsConfig(env).port}`, readyLine: /^worker running/ });
  const consoleUrl = `http://127.0.0.1:${loadAdminConfig(env).port}`;
  processes.push({ name: 'console', args: ['console'], url: consoleUrl, ready: () => httpAnswers(`${consoleUrl}/readyz`) });
  return processes;
}
