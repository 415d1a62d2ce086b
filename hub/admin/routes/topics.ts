import type { FastifyInstance } from 'fastify';
import type { AdminServices } from '../admin-services.js';
import { topicsView } from '../topics-view.js';

/** `GET /api/topics`: the domain topics with partitions, end offsets and schema versions; the internal topics with their offsets. */
export function registerTopicRoutes(app: FastifyInstance, services: AdminServices): void {
  app.get('/api/topics', {
    config: { role: 'viewer' },
    schema: { tags: ['topics'], summary: 'Domain topics with partitions, end offsets and the schema versions of each event type; internal topics with their offsets' },
  }, async () => topicsView(services.admin, services.registry, services.connectors, services.prefix));
}
