import type { FastifyInstance } from 'fastify';
import type { AdminServices } from '../admin-services.js';
import { limitQuery, pageLimit } from './schemas.js';

/** `GET /api/audit`: the audit trail of operator actions, newest first, paged with `before`. */
export function registerAuditRoutes(app: FastifyInstance, services: AdminServices): void {
  app.get<{ Querystring: { limit?: string; before?: string } }>('/api/audit', {
    config: { role: 'viewer' },
    schema: {
      tags: ['audit'], summary: 'The audit trail of operator actions, newest first; `next` is the `before` of the next page',
      querystring: { type: 'object', additionalProperties: false, properties: { limit: limitQuery, before: { type: 'string', pattern: '^[0-9]{1,19}$' } } },
    },
  }, async (request) => services.audit.page({ limit: pageLimit(request.query.limit, 500, 50), ...(request.query.before ? { before: request.query.before } : {}) }));
}
