import fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify';
import { ERRORS, MappingError, isSwitchboardError } from '../../errors/index.js';
import type { Logger } from '../../log/logger.js';
import { errorAnswer } from '../../service/error-handler.js';
import { WebhookRefusedError } from './webhook-errors.js';
import { WebhookSource } from './webhook-source.js';
import type { WebhookStore } from './webhook-store.js';

/** Settings of {@link buildWebhookApp}. */
export interface WebhookAppOptions {
  readonly sources: readonly WebhookSource[];
  readonly store: WebhookStore;
  readonly logger: Logger;
  /** Largest accepted body in bytes. Default 1 MiB. */
  readonly bodyLimit?: number;
}

function refused(reply: FastifyReply, error: WebhookRefusedError): FastifyReply {
  return reply.code(error.statusCode).send({ error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } });
}

/**
 * The webhook endpoint: `POST /webhooks/<source>` for each configured source, `/healthz` and
 * `/readyz`. A delivery is checked in this order, each refusal answered before anything is
 * stored: the source exists (404); the signature and its timestamp (401; before the body is
 * even parsed); the body is JSON (400); the payload meets the source's JSON Schema (422,
 * naming the field); its delivery id (400); the event it maps to meets its Avro schema (422,
 * naming the field). Then the delivery and its event are committed to the store's outbox and
 * only then answered 202 `{ eventId }`; a delivery id seen before gets 200 `{ duplicate: true }`
 * and stores nothing; a payload no case maps gets 200 `{ ignored: true }`.
 *
 * @example
 * ```ts
 * const app = await buildWebhookApp({ sources: loadWebhookSources('webhooks'), store: new WebhookStore(dbPath), logger });
 * await app.listen({ port: 3010 });
 * ```
 */
export async function buildWebhookApp(options: WebhookAppOptions): Promise<FastifyInstance> {
  const sources = new Map(options.sources.map((source) => [source.name, source]));
  const app = fastify({
    loggerInstance: options.logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
  }) as unknown as FastifyInstance;
  // The signature covers the exact bytes sent: keep the body as it came, whatever its type says.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof WebhookRefusedError) return refused(reply, error);
    if (error instanceof MappingError) return refused(reply, new WebhookRefusedError(ERRORS.WEBHOOK_PAYLOAD_INVALID.code, error.message));
    const { statusCode, body } = (error as { statusCode?: number }).statusCode === 413
      ? errorAnswer(ERRORS.HTTP_BODY_TOO_LARGE.code, 'the delivery is larger than the endpoint accepts')
      : { statusCode: 500, body: { error: { code: isSwitchboardError(error) ? error.code : ERRORS.SERVICE_INTERNAL.code, message: 'the delivery could not be stored; the webhook log has the details (the sender should retry)' } } };
    // A mapping that breaks on a payload is a bug in the source file; the sender retries the 5xx once it is fixed.
    if (statusCode >= 500) options.logger.error({ err: error, url: request.url }, 'webhook delivery failed');
    return reply.code(statusCode).send(body);
  });

  app.post<{ Params: { source: string } }>('/webhooks/:source', async (request, reply) => {
    const receivedAt = Date.now();
    const source = sources.get(request.params.source);
    if (!source) throw new WebhookRefusedError(ERRORS.WEBHOOK_UNKNOWN_SOURCE.code, `no webhook source ${JSON.stringify(request.params.source)}; known: ${[...sources.keys()].join(', ') || 'none'}`);
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    let verified;
    try {
      verified = source.verify(request.headers, body, receivedAt);
    } catch (error) {
      if (error instanceof WebhookRefusedError) options.logger.warn({ source: source.name, code: error.code }, `webhook refused: ${error.message}`);
      throw error;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new WebhookRefusedError(ERRORS.WEBHOOK_BODY_NOT_JSON.code, `the body is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    source.checkPayload(payload);
    const deliveryId = await source.deliveryIdOf(request.headers, payload, verified);
    const event = await source.map({ payload, headers: request.headers, deliveryId, receivedAt });
    const result = await options.store.accept(source.name, deliveryId, event);
    options.logger.debug({ source: source.name, delivery_id: deliveryId, outcome: result.outcome, event_id: 'eventId' in result ? result.eventId : undefined }, 'webhook delivery');
    switch (result.outcome) {
      case 'accepted':
        return reply.code(202).send({ accepted: true, eventId: result.eventId, eventType: event?.eventType, key: event ? WebhookSource.keyOf(event) : undefined });
      case 'duplicate':
        return reply.code(200).send({ duplicate: true, eventId: result.eventId });
      default:
        return reply.code(200).send({ ignored: true });
    }
  });

  app.get('/healthz', async () => ({ status: 'ok', service: 'webhooks' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      options.store.db.prepare('SELECT 1').get();
      return { status: 'ready', service: 'webhooks', sources: [...sources.keys()] };
    } catch {
      const { statusCode, body } = errorAnswer(ERRORS.SERVICE_NOT_READY.code, 'the webhook store does not answer');
      return reply.code(statusCode).send(body);
    }
  });
  return app;
}
