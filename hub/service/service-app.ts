import type { Database } from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import type { ServiceAuth } from '../auth/index.js';
import type { Logger } from '../log/logger.js';
import type { Outbox } from './outbox.js';

/** A built service: its HTTP app, its database and its outbox (the relay reads the outbox). */
export interface ServiceApp {
  readonly app: FastifyInstance;
  readonly db: Database;
  readonly outbox: Outbox;
}

/** What building a service needs: where its database lives, and optionally a logger, the docs UI and caller checks. */
export interface CreateServiceOptions {
  /** SQLite file; `:memory:` gives a throwaway service for tests. */
  readonly dbPath: string;
  readonly logger?: Logger;
  /** Serve the Swagger UI at /docs (the OpenAPI JSON is always served). */
  readonly docsUi?: boolean;
  /** Who may call the routes (`loadServiceAuth()`); default off. `runService` reads it from the environment. */
  readonly auth?: ServiceAuth;
}

/**
 * Builds one service (opens and migrates its database, registers its routes). Each system's
 * folder exports one; `services/index.ts` lists them by system.
 *
 * @example
 * ```ts
 * const { app, outbox } = await createCrmApp({ dbPath: ':memory:' });
 * ```
 */
export type CreateServiceApp = (options: CreateServiceOptions) => Promise<ServiceApp>;
