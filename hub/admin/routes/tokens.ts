import type { FastifyInstance } from 'fastify';
import { audited } from '../audited.js';
import type { AdminServices } from '../admin-services.js';
import type { Role } from '../roles.js';
import { optionalReasonBody, reason, role, tokenName } from './schemas.js';

/** Token management (admin role): list, create (the token is in the answer, once), revoke. Creating and revoking are audited, by name only. */
export function registerTokenRoutes(app: FastifyInstance, services: AdminServices): void {
  const { tokens, audit, logger } = services;

  app.get('/api/tokens', {
    config: { role: 'admin' },
    schema: { tags: ['tokens'], summary: 'Every token: name, role, created (never the token or its hash)' },
  }, async () => ({ source: tokens.readOnly ? 'SWITCHBOARD_TOKENS' : 'file', tokens: tokens.list() }));

  app.post<{ Body: { name: string; role: Role; reason?: string } }>('/api/tokens', {
    config: { role: 'admin', action: 'token.create' },
    schema: {
      tags: ['tokens'], summary: 'Issue a token; the answer holds it, once (only its hash is kept)',
      body: { type: 'object', additionalProperties: false, required: ['name', 'role'], properties: { name: tokenName, role, reason } },
    },
  }, async (request, reply) => {
    const { name } = request.body;
    const created = await audited(audit, logger, request, { action: 'token.create', target: { token: name }, reason: request.body.reason, detail: (done) => ({ role: done.entry.role }) },
      async () => tokens.create(name, request.body.role));
    return reply.code(201).send({ ...created.entry, token: created.token });
  });

  app.post<{ Params: { name: string }; Body: { reason?: string } }>('/api/tokens/:name/revoke', {
    config: { role: 'admin', action: 'token.revoke' },
    schema: {
      tags: ['tokens'], summary: 'Revoke a token: refused from the next request on',
      params: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: tokenName } },
      body: optionalReasonBody,
    },
  }, async (request) => {
    const revoked = await audited(audit, logger, request, { action: 'token.revoke', target: { token: request.params.name }, reason: request.body.reason }, async () => tokens.revoke(request.params.name));
    return { ...revoked, revoked: true };
  });
}
