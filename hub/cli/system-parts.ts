import type { Database } from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import type { ConnectorDefinition } from '../sdk/types.js';
import type { Outbox } from '../service/index.js';

/** The three systems that ship with Switchboard. */
export const SERVICE_NAMES = ['crm', 'erp', 'scm'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** A started service: its app, database and outbox. */
export interface RunningService {
  app: FastifyInstance;
  db: Database;
  outbox: Outbox;
  address: string;
}

/**
 * What the CLI runs that lives outside `hub/`: the services and the connector registry. The
 * composition root (bin/system-parts.ts) supplies them, so `hub/` imports neither services nor
 * connectors (DESIGN.md's layering); each is loaded only by the command that needs it.
 */
export interface SystemParts {
  startService(name: ServiceName, env: NodeJS.ProcessEnv): Promise<RunningService>;
  connectors(): Promise<readonly ConnectorDefinition[]>;
}
