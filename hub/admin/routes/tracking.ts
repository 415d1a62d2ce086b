import type { FastifyInstance } from 'fastify';
import { ERRORS } from '../../errors/index.js';
import { readControlStates } from '../../runtime/control.js';
import { NotFoundError, ValidationError } from '../../service/errors.js';
import { SUBJECT_KINDS, type SubjectKind, type TrackAnswer, type WaitingDelivery } from '../../tracking/index.js';
import type { AdminServices } from '../admin-services.js';

const idText = { type: 'string', minLength: 1, maxLength: 200 } as const;
const wholeNumber = (max: number) => ({ type: 'string', pattern: `^[1-9][0-9]{0,${String(max).length - 1}}$` }) as const;

/** A track answer with each trace id's link (when a trace UI is configured) and what the connectors' live state adds to the waiting reasons. */
export interface TrackView extends TrackAnswer {
  readonly traceLinks: Readonly<Record<string, string>>;
}

/**
 * Tracking routes: `GET /api/track?q=<any id>` (the business flow of whatever the id names,
 * across the systems, with each step's latency, what waits and why) and `GET /api/dashboard`
 * (decision support from the tracking projection). Both for viewers: timelines hold no
 * personal data.
 */
export function registerTrackingRoutes(app: FastifyInstance, services: AdminServices): void {
  const { tracking } = services;

  app.get<{ Querystring: { q: string; kind?: SubjectKind; id?: string } }>('/api/track', {
    config: { role: 'viewer' },
    schema: {
      tags: ['tracking'], summary: 'The business flow an id of any system belongs to: every event and connector outcome, latencies, what waits and why',
      querystring: { type: 'object', additionalProperties: false, required: ['q'], properties: { q: idText, kind: { type: 'string', enum: [...SUBJECT_KINDS] }, id: idText } },
    },
  }, async (request): Promise<TrackView> => {
    const { q, kind, id } = request.query;
    if ((kind === undefined) !== (id === undefined)) throw new ValidationError(ERRORS.VALIDATION_REQUIRED.code, 'give kind and id together (one of the matches), or neither', { field: kind === undefined ? 'kind' : 'id' });
    const answer = tracking.track.find(q, kind !== undefined && id !== undefined ? { kind, id } : undefined);
    if (answer.steps.length === 0 && answer.matches.length === 0) {
      throw new NotFoundError(ERRORS.ADMIN_TRACK_NOT_FOUND.code, `no tracked event names ${q} (in the last ${Math.round(tracking.config.retentionMs / 86_400_000)} days)`, { field: 'q' });
    }
    const waiting = await explainWaiting(services, answer.waiting);
    const template = tracking.config.traceUiUrl;
    const traceLinks = template === null ? {} : Object.fromEntries(answer.traceIds.map((traceId) => [traceId, template.replace('{traceId}', encodeURIComponent(traceId))]));
    return { ...answer, waiting, traceLinks };
  });

  app.get<{ Querystring: { days?: string; stuckMinutes?: string } }>('/api/dashboard', {
    config: { role: 'viewer' },
    schema: {
      tags: ['tracking'], summary: 'Order-to-cash cycle time and stages, orders and revenue per day, credit holds and rejections, backorders, items below their reorder point, stuck orders',
      querystring: { type: 'object', additionalProperties: false, properties: { days: wholeNumber(365), stuckMinutes: wholeNumber(10_080) } },
    },
  }, async (request) => {
    const days = Number(request.query.days ?? 14);
    if (days > 365) throw new ValidationError(ERRORS.VALIDATION_RANGE.code, 'days must be at most 365', { field: 'days' });
    const stuckAfterMs = request.query.stuckMinutes === undefined ? tracking.config.stuckAfterMs : Number(request.query.stuckMinutes) * 60_000;
    return tracking.dashboard.compute({ days, stuckAfterMs });
  });
}

/** Adds what the console knows now to the reason of a pending delivery: the connector paused, or no worker running it. */
async function explainWaiting(services: AdminServices, waiting: readonly WaitingDelivery[]): Promise<WaitingDelivery[]> {
  if (!waiting.some((w) => w.state === 'pending' || w.state === 'replayed')) return [...waiting];
  const states = await readControlStates(services.redis, services.prefix);
  return waiting.map((w) => {
    if (w.state !== 'pending' && w.state !== 'replayed') return w;
    if (states.get(w.connector)?.state === 'paused') return { ...w, reason: `${w.reason}; ${w.connector} is paused` };
    const snapshot = services.sampler.snapshot(w.connector);
    if (snapshot.sampledAt !== undefined && snapshot.workers.length === 0) return { ...w, reason: `${w.reason}; no worker of ${w.connector} is running` };
    return w;
  });
}
