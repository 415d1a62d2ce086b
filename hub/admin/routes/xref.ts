import type { FastifyInstance } from 'fastify';
import { ERRORS } from '../../errors/index.js';
import { XREF_KINDS, type XrefKind } from '../../sdk/types.js';
import { NotFoundError } from '../../service/errors.js';
import type { AdminServices } from '../admin-services.js';
import { findCrossReferences } from '../xref-lookup.js';

/** `GET /api/xref/:id[?kind=]`: the ids of a business object in every system, from its id in any one of them. */
export function registerXrefRoutes(app: FastifyInstance, services: AdminServices): void {
  app.get<{ Params: { id: string }; Querystring: { kind?: XrefKind } }>('/api/xref/:id', {
    config: { role: 'viewer' },
    schema: {
      tags: ['cross-references'], summary: 'The ids of a business object in every system, from its id in any one of them',
      params: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 200 } } },
      querystring: { type: 'object', additionalProperties: false, properties: { kind: { type: 'string', enum: [...XREF_KINDS] } } },
    },
  }, async (request) => {
    const { id } = request.params;
    const matches = await findCrossReferences(services.xref, id, request.query.kind ? [request.query.kind] : XREF_KINDS);
    if (matches.length === 0) throw new NotFoundError(ERRORS.ADMIN_XREF_NOT_FOUND.code, `no cross-reference${request.query.kind ? ` of kind ${request.query.kind}` : ''} knows the id ${id}`, { field: 'id' });
    return { id, matches };
  });
}
