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
  return processes;
}
