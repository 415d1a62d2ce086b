import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ERRORS } from '../../errors/index.js';
import type { DeadLetterStatus } from '../../runtime/dead-letter-marks.js';
import { ValidationError } from '../../service/errors.js';
import { actorOf } from '../access.js';
import { audited } from '../audited.js';
import { connectorNamed, type AdminServices } from '../admin-services.js';
import type { ReplayResult } from '../dead-letter-desk.js';
import {
  connectorName, connectorParams, deadLetterId, deadLetterParams, errorCode, limitQuery, optionalReasonBody, pageLimit, reason, requiredReasonBody, statusFilter,
} from './schemas.js';

type StatusFilter = DeadLetterStatus | 'all';

/** Viewers see personal data masked. */
const masked = (request: FastifyRequest) => actorOf(request).role === 'viewer';

/** Counts of a replay's outcomes, for the answer and the audit trail. */
function tally(results: readonly ReplayResult[]): Record<ReplayResult['outcome'], number> {
  const counts = { replayed: 0, 'already-replayed': 0, discarded: 0 };
  for (const result of results) counts[result.outcome]++;
  return counts;
}

/**
 * Dead-letter routes: grouped by error code across connectors or per connector, one dead letter
 * decoded, replay (one, a selection, or every open one of an error code) and discard. Replays
 * and discards are audited; each dead letter is replayed at most once.
 */
export function registerDeadLetterRoutes(app: FastifyInstance, services: AdminServices): void {
  const { deadLetters, audit, logger } = services;

  app.get<{ Querystring: { connector?: string; status?: StatusFilter } }>('/api/dead-letters', {
    config: { role: 'viewer' },
    schema: {
      tags: ['dead letters'], summary: 'Dead letters of every connector (or one), grouped by connector and error code, with counts and first and last seen',
      querystring: { type: 'object', additionalProperties: false, properties: { connector: connectorName, status: statusFilter } },
    },
  }, async (request) => {
    const names = request.query.connector === undefined ? services.connectors.map((c) => c.name) : [connectorNamed(services, request.query.connector).name];
    return { groups: await deadLetters.groups(names, { status: request.query.status ?? 'all' }) };
  });

  app.get<{ Params: { name: string }; Querystring: { status?: StatusFilter; code?: string; groupBy?: 'code'; limit?: string; before?: string } }>('/api/connectors/:name/dead-letters', {
    config: { role: 'viewer' },
    schema: {
      tags: ['dead letters'], summary: 'A connector\'s dead letters, newest first (status open unless asked), or grouped by error code (groupBy=code)',
      params: connectorParams,
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { status: statusFilter, code: errorCode, groupBy: { type: 'string', enum: ['code'] }, limit: limitQuery, before: deadLetterId },
      },
    },
  }, async (request) => {
    const { name } = connectorNamed(services, request.params.name);
    const { status, code, groupBy, before } = request.query;
    if (groupBy === 'code') return { groups: await deadLetters.groups([name], { status: status ?? 'all', ...(code ? { code } : {}) }) };
    return deadLetters.list(name, { status: status ?? 'open', ...(code ? { code } : {}), limit: pageLimit(request.query.limit, 500, 100), ...(before ? { before } : {}) }, masked(request));
  });

  app.get<{ Params: { name: string; id: string } }>('/api/connectors/:name/dead-letters/:id', {
    config: { role: 'viewer' },
    schema: { tags: ['dead letters'], summary: 'One dead letter: why it failed, where it came from, its headers and decoded payload', params: deadLetterParams },
  }, async (request) => deadLetters.show(connectorNamed(services, request.params.name).name, request.params.id, masked(request)));

  const replay = async (request: FastifyRequest, connector: string, what: { ids?: readonly string[]; code?: string }, why: string | undefined) => {
    const by = actorOf(request).name;
    const results = await audited(audit, logger, request, {
      action: 'dead-letter.replay',
      target: { connector, ...(what.ids ? { deadLetters: what.ids } : {}), ...(what.code ? { code: what.code } : {}) },
      reason: why,
      detail: (done: ReplayResult[]) => ({ ...tally(done), results: done.map(({ id, outcome }) => ({ id, outcome })) }),
    }, () => (what.code !== undefined ? deadLetters.replayGroup(connector, what.code, by, why) : deadLetters.replay(connector, what.ids ?? [], by, why)));
    return { connector, results, ...tally(results) };
  };

  app.post<{ Params: { name: string }; Body: { ids?: string[]; code?: string; reason?: string } }>('/api/connectors/:name/dead-letters/replay', {
    config: { role: 'operator', action: 'dead-letter.replay' },
    schema: {
      tags: ['dead letters'], summary: 'Replay a selection of dead letters (ids) or every open one of an error code (code), each at most once, through this connector only',
      params: connectorParams,
      body: {
        type: 'object', additionalProperties: false,
        properties: { ids: { type: 'array', minItems: 1, maxItems: 1000, uniqueItems: true, items: deadLetterId }, code: errorCode, reason },
      },
    },
  }, async (request) => {
    const { name } = connectorNamed(services, request.params.name);
    const { ids, code } = request.body;
    if ((ids === undefined) === (code === undefined)) {
      throw new ValidationError(ERRORS.VALIDATION_REQUIRED.code, 'give exactly one of ids (dead-letter ids) and code (an error code whose open dead letters to replay)', { field: ids === undefined ? 'ids' : 'code' });
    }
    return replay(request, name, ids !== undefined ? { ids } : { code }, request.body.reason);
  });

  app.post<{ Params: { name: string; id: string }; Body: { reason?: string } }>('/api/connectors/:name/dead-letters/:id/replay', {
    config: { role: 'operator', action: 'dead-letter.replay' },
    schema: { tags: ['dead letters'], summary: 'Replay one dead letter (at most once) through this connector only', params: deadLetterParams, body: optionalReasonBody },
  }, async (request) => replay(request, connectorNamed(services, request.params.name).name, { ids: [request.params.id] }, request.body.reason));

  app.post<{ Params: { name: string; id: string }; Body: { reason: string } }>('/api/connectors/:name/dead-letters/:id/discard', {
    config: { role: 'operator', action: 'dead-letter.discard' },
    schema: { tags: ['dead letters'], summary: 'Discard one open dead letter: it will not be applied', params: deadLetterParams, body: requiredReasonBody },
  }, async (request) => {
    const { name } = connectorNamed(services, request.params.name);
    const { id } = request.params;
    const result = await audited(audit, logger, request, { action: 'dead-letter.discard', target: { connector: name, deadLetters: [id] }, reason: request.body.reason, detail: (done) => ({ outcome: done.outcome }) },
      () => deadLetters.discard(name, id, actorOf(request).name, request.body.reason));
    return { connector: name, ...result };
  });
}
