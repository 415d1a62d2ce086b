import { defineArea } from './define.js';

/** Requests a service's HTTP layer refuses before any route runs (hub/service). */
export const HTTP = defineArea('HTTP', 'Requests a service refuses at the HTTP layer, before any route runs.', {
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retriable: false, description: 'The request body is not JSON; send Content-Type: application/json.' },
  BODY_TOO_LARGE: { status: 413, retriable: false, description: 'The request body is larger than the service accepts; send less.' },
  EMPTY_BODY: { status: 400, retriable: false, description: 'Content-Type is application/json but the body is empty; send a JSON body or no Content-Type.' },
  INVALID_CONTENT_LENGTH: { status: 400, retriable: false, description: 'Content-Length does not match the body; fix the client.' },
  MALFORMED_JSON: { status: 400, retriable: false, description: 'The request body is not valid JSON; the message says where it breaks.' },
  BAD_REQUEST: { status: 400, retriable: false, description: 'Another request the HTTP layer refused (answered with the 4xx Fastify chose); the message says why.' },
  ROUTE_NOT_FOUND: { status: 404, retriable: false, description: 'No route for this method and path; see the service\'s /docs.' },
  METHOD_NOT_ALLOWED: { status: 405, retriable: false, description: 'The path exists but not with this method; the Allow header lists the methods it takes.' },
});
