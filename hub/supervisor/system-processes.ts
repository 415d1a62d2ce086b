import type { ManagedProcess } from './supervisor.js';
import { httpAnswers } from './supervisor.js';

/**
 * Every long-running part of the system that `switchboard up` starts, in start order.
 * Adding a part to the whole system is one line here.
 */
export function systemProcesses(env: NodeJS.ProcessEnv = process.env): ManagedProcess[] {
  const processes: ManagedProcess[] = [];
  if (!env.SCHEMA_REGISTRY_URL) {
    const url = `http://127.0.0.1:${env.SCHEMA_REGISTRY_PORT ?? 8081}`;
    processes.push({ name: 'registry', args: ['registry'], url, ready: () => httpAnswers(`${url}/subjects`) });
  }
  for (const [name, defaultPort] of [['crm', 3001], ['erp', 3002], ['scm', 3003]] as const) {
    const url = `http://127.0.0.1:${env[`${name.toUpperCase()}_PORT`] ?? defaultPort}`;
    processes.push({ name, args: ['service', name], url, ready: () => httpAnswers(`${url}/readyz`) });
  }
  // Every connector in one worker process; start more `switchboard worker` processes to scale out.
  processes.push({ name: 'worker', args: ['worker'], readyLine: /^worker running/ });
  return processes;
}
