import type { SystemName } from '../../catalogue/index.js';
import type { ConnectorDefinition } from '../sdk/types.js';
import type { PrincipalSpec } from '../auth/index.js';
import type { ServiceApp } from '../service/index.js';
import type { ConnectorTooling } from './connector/tooling.js';


/** A started service: its app, database and outbox, and where it listens. */
export type RunningService = ServiceApp & { readonly address: string };

/**
 * What the CLI runs that lives outside `hub/`: the services and the connector registry. The
 * composition root (bin/system-parts.ts) supplies them, so `hub/` imports neither services nor
 * connectors (docs/architecture.md, enforced by lint); each is loaded only by the command that needs it.
 */
export interface SystemParts {
  startService(name: SystemName, env: NodeJS.ProcessEnv): Promise<RunningService>;
  connectors(): Promise<readonly ConnectorDefinition[]>;
  /** Where the connectors' files are and how to load them, for `switchboard connector`. */
  readonly connectorTooling: ConnectorTooling;
  /** Every caller of the systems' APIs and its scopes (bin/service-credentials.ts): `up` provisions their tokens. */
  servicePrincipals(): Promise<readonly PrincipalSpec[]>;
}
