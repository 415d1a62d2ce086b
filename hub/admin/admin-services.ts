import type { BusAdmin } from '../bus/index.js';
import { ERRORS } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import type { ConnectorControl } from '../runtime/control.js';
import type { SchemaRegistryClient } from '../schema/client/registry-client.js';
import { NotFoundError } from '../service/errors.js';
import type { CrossReferences } from '../state/xref.js';
import type { Redis } from '../state/redis.js';
import type { AdminConnector } from './admin-connectors.js';
import type { AuditTrail } from './audit-trail.js';
import type { DeadLetterDesk } from './dead-letter-desk.js';
import type { LagSampler } from './lag-sampler.js';
import type { TokenStore } from './token-store.js';
import type { ConnectorSeries } from './connector-series.js';
import type { DashboardQuery, TrackQuery, TrackingConfig, TrackingProjection } from '../tracking/index.js';

/** Everything the admin API's routes work with; `startAdminServer` builds it, tests may too. */
export interface AdminServices {
  readonly connectors: readonly AdminConnector[];
  readonly prefix: string;
  readonly redis: Redis;
  /** A connected admin client (topics, offsets for reset checks). */
  readonly admin: BusAdmin;
  readonly control: ConnectorControl;
  readonly sampler: LagSampler;
  readonly window: { readonly size: number; readonly intervalMs: number };
  readonly deadLetters: DeadLetterDesk;
  readonly audit: AuditTrail;
  /** The last hour of every connector's rates, lag and errors. */
  readonly series: ConnectorSeries;
  /** The tracking projection and the queries on it (track, dashboard). */
  readonly tracking: {
    readonly projection: TrackingProjection;
    readonly track: TrackQuery;
    readonly dashboard: DashboardQuery;
    readonly config: TrackingConfig;
  };
  readonly tokens: TokenStore;
  readonly registry: SchemaRegistryClient;
  readonly xref: Pick<CrossReferences, 'resolve'>;
  readonly logger: Logger;
  /** Resolves when Kafka and Redis answer; rejects with the reason otherwise (`/readyz`). */
  readonly ready: () => Promise<void>;
}

/**
 * The connector of that name, or a 404 naming the known ones.
 *
 * @example
 * ```ts
 * const connector = connectorNamed(services, request.params.name);
 * ```
 */
export function connectorNamed(services: Pick<AdminServices, 'connectors'>, name: string): AdminConnector {
  const connector = services.connectors.find((candidate) => candidate.name === name);
  if (!connector) {
    throw new NotFoundError(ERRORS.ADMIN_UNKNOWN_CONNECTOR.code, `no connector ${name}; known: ${services.connectors.map((c) => c.name).join(', ')}`, { field: 'name' });
  }
  return connector;
}
