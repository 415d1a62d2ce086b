import type { FastifyInstance } from 'fastify';
import { actorOf } from '../access.js';
import { connectorNamed, type AdminServices } from '../admin-services.js';
import { FlowFeed } from '../flow-feed.js';
import { connectorParams } from './schemas.js';

/**
 * The flow map's routes: its drawing (`GET /api/flow`), its live figures once
 * (`GET /api/flow/live`) and as a server-sent event stream, one `flow` event a second
 * (`GET /api/flow/stream`, read with fetch so the bearer token travels as a header); a
 * connector's last hour of rate, lag and errors (`GET /api/connectors/:name/series`); and who
 * the caller is (`GET /api/session`: the token's name and role, for the pages).
 */
export function registerFlowRoutes(app: FastifyInstance, services: AdminServices): void {
  const feed = new FlowFeed(services);
  const streams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
    feed.close();
  });

  app.get('/api/session', {
    config: { role: 'viewer' },
    schema: { tags: ['console'], summary: 'The caller: the token\'s name and role, and the trace UI link template when one is configured' },
  }, async (request) => {
    const actor = actorOf(request);
    return { name: actor.name, role: actor.role, traceUiUrl: services.tracking.config.traceUiUrl };
  });

  app.get('/api/flow', {
    config: { role: 'viewer' },
    schema: { tags: ['console'], summary: 'The flow map: the systems, their topics and the connectors from topics to systems' },
  }, async () => feed.graph());

  app.get('/api/flow/live', {
    config: { role: 'viewer' },
    schema: { tags: ['console'], summary: 'The flow map\'s live figures: topic rates, and per connector rates, lag, Burrow status, open dead letters' },
  }, async () => feed.figures());

  app.get('/api/flow/stream', {
    config: { role: 'viewer' },
    schema: { tags: ['console'], summary: 'The flow map\'s live figures as server-sent events (`event: flow`), one a second' },
  }, (request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    reply.raw.write(': flow map figures, one event a second\n\n');
    const unsubscribe = feed.subscribe((figures) => reply.raw.write(`event: flow\ndata: ${JSON.stringify(figures)}\n\n`));
    const end = () => {
      unsubscribe();
      streams.delete(end);
      if (!reply.raw.writableEnded) reply.raw.end();
    };
    streams.add(end);
    request.raw.on('close', end);
  });

  app.get<{ Params: { name: string } }>('/api/connectors/:name/series', {
    config: { role: 'viewer' },
    schema: { tags: ['connectors'], summary: 'A connector\'s last hour: consumed and applied per second, lag and errors per second, one point per status sample', params: connectorParams },
  }, async (request) => services.series.view(connectorNamed(services, request.params.name).name));
}
