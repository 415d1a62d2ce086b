import { defineArea } from './define.js';

/** The operators' admin API (hub/admin, `switchboard console`) and the CLI commands built on it. */
export const ADMIN = defineArea(
  'ADMIN',
  'The operators\' admin API (`switchboard console`, port 8080) and the CLI commands that call it (`connectors`, `dlq`, `xref`, `audit`, `tokens`).',
  {
    UNAUTHORIZED: { status: 401, retriable: false, description: 'No bearer token, or one the admin API does not know (never issued, or revoked); send `Authorization: Bearer <token>` (SWITCHBOARD_TOKEN for the CLI).' },
    FORBIDDEN: { status: 403, retriable: false, description: 'The token\'s role may not do this: reads need viewer, changes operator, token management admin; use a token with that role.' },
    UNKNOWN_CONNECTOR: { status: 404, retriable: false, description: 'No connector of that name runs under this admin API; `switchboard connectors status` lists them.' },
    DEAD_LETTER_NOT_FOUND: { status: 404, retriable: false, description: 'The connector has no dead letter with that id (`<partition>:<offset>`); `switchboard dlq list --connector <name>` lists them.' },
    TOKEN_NOT_FOUND: { status: 404, retriable: false, description: 'No token of that name; `switchboard tokens list` lists them.' },
    TRACK_NOT_FOUND: { status: 404, retriable: false, description: 'No event the console\'s tracking projection holds names that id (in any system, in the retention window); check the id, or whether its flow has started.' },
    ASSET_NOT_FOUND: { status: 404, retriable: false, description: 'The web console has no such file; open the console at `/`.' },
    XREF_NOT_FOUND: { status: 404, retriable: false, description: 'No system knows that id in any cross-reference (of the kind asked for); check the id, or whether its flow has run yet.' },
    TOKEN_EXISTS: { status: 409, retriable: false, description: 'A token of that name exists; revoke it first or choose another name.' },
    TOKENS_READ_ONLY: { status: 409, retriable: false, description: 'The tokens come from SWITCHBOARD_TOKENS, which the API cannot change; edit the variable (hashes from `switchboard tokens create --local`) and restart the console.' },
    DEAD_LETTER_STATE: { status: 409, retriable: false, description: 'The dead letter is no longer open (replayed or discarded), so it cannot be discarded; the answer names its status.' },
    RESET_BUSY: { status: 409, retriable: true, description: 'A reset needs the connector\'s consumer group empty and its workers did not leave it in time; try again, or stop the workers that hang.' },
    INVALID_OFFSET: { status: 400, retriable: false, description: 'A reset offset names a topic that is not one of the connector\'s sources, a partition the topic does not have, or an offset outside the partition\'s range; the message gives the range.' },
    UNREACHABLE: { status: null, retriable: true, description: 'The CLI could not reach the admin API at SWITCHBOARD_ADMIN_URL; start it (`switchboard console`, or `switchboard up`) or point the variable at it.' },
    API_ERROR: { status: null, retriable: false, description: 'The admin API answered with an error the CLI does not know; the message has its status and body.' },
  },
);
