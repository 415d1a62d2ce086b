/**
 * The connector registry: one line per connector folder. `switchboard worker` runs these
 * (all, or those named with --connector).
 */
import type { ConnectorDefinition } from '../hub/sdk/index.js';

export const CONNECTORS: ConnectorDefinition[] = [];
