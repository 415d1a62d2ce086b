import { defineArea } from './define.js';

/** Credentials of the callers of a service's API (hub/auth, hub/service). */
export const AUTH = defineArea('AUTH', 'Credentials of the callers of a service\'s API: connectors and people send `Authorization: Bearer <token>` (SERVICE_AUTH=required).', {
  CREDENTIAL_MISSING: { status: 401, retriable: false, description: 'The request needs a credential and came without `Authorization: Bearer <token>`; send the caller\'s token from the credentials file (SWITCHBOARD_CREDENTIALS).' },
  CREDENTIAL_UNKNOWN: { status: 401, retriable: false, description: 'The bearer token is not in the service\'s credentials file (mistyped, revoked or from another system); send a token of the file the service reads.' },
  SCOPE_MISSING: { status: 403, retriable: false, description: 'The caller\'s credential has no scope for this route; the message names the principal and the scope. Grant it in bin/service-credentials.ts and provision again.' },
});
