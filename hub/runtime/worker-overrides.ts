import { z } from 'zod';
import { loadConfig } from '../config/load-config.js';
import type { ConnectorDefinition } from '../sdk/types.js';

const shape = {
  WORKER_STALL_TIMEOUT_MS: z.coerce.number().int().min(1).optional().describe('stallTimeoutMs of every connector of this worker, instead of each connector\'s own (default 60000)'),
  WORKER_MISSING_DEPENDENCY_DEADLINE_MS: z.coerce.number().int().min(1).optional().describe('missingDependencyDeadlineMs of every connector of this worker, instead of each connector\'s own (default 3600000)'),
};

/** Process-wide settings that replace the connectors' own options (an operator's say over all of them). */
export interface WorkerOverrides {
  readonly stallTimeoutMs?: number;
  readonly missingDependencyDeadlineMs?: number;
}

/**
 * Reads the worker's overrides: `WORKER_STALL_TIMEOUT_MS` and `WORKER_MISSING_DEPENDENCY_DEADLINE_MS`.
 *
 * @example
 * ```ts
 * loadWorkerOverrides({ WORKER_STALL_TIMEOUT_MS: '10000' }); // { stallTimeoutMs: 10000 }
 * ```
 */
export function loadWorkerOverrides(env: NodeJS.ProcessEnv = process.env): WorkerOverrides {
  const config = loadConfig('worker', shape, env);
  return {
    ...(config.WORKER_STALL_TIMEOUT_MS === undefined ? {} : { stallTimeoutMs: config.WORKER_STALL_TIMEOUT_MS }),
    ...(config.WORKER_MISSING_DEPENDENCY_DEADLINE_MS === undefined ? {} : { missingDependencyDeadlineMs: config.WORKER_MISSING_DEPENDENCY_DEADLINE_MS }),
  };
}

/** `connector` with the overrides applied to its options (itself when there are none). */
export function withOverrides(connector: ConnectorDefinition, overrides: WorkerOverrides): ConnectorDefinition {
  if (Object.keys(overrides).length === 0) return connector;
  return { ...connector, map: connector.map, options: Object.freeze({ ...connector.options, ...overrides }) };
}
