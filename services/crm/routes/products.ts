import type { FastifyInstance } from 'fastify';
import { executeCommand, moneySchema, sendResult, skuSchema, text, type Money, type ServiceStore } from '../../../hub/service/index.js';
import type { Catalogue } from '../products.js';

const skuParams = { type: 'object', required: ['sku'], properties: { sku: skuSchema } } as const;

/** The catalogue: read by sales reps, written by the ERP (flow 12) and the SCM (flow 8). */
export function registerProductRoutes(app: FastifyInstance, store: ServiceStore, catalogue: Catalogue): void {
  app.get('/products', { schema: { tags: ['products'], summary: 'The catalogue with price and availability' } }, async () => catalogue.list());

  app.get<{ Params: { sku: string } }>('/products/:sku', { schema: { tags: ['products'], summary: 'One product', params: skuParams } },
    async (request) => catalogue.get(request.params.sku));

  app.put<{ Params: { sku: string }; Body: { name?: string; unitPrice: Money } }>('/products/:sku', {
    schema: {
      tags: ['inbound'], summary: 'Flow 12: product and price from the ERP', params: skuParams,
      body: { type: 'object', additionalProperties: false, required: ['unitPrice'], properties: { name: text(200), unitPrice: moneySchema } },
    },
  }, async (request, reply) => sendResult(reply, executeCommand(store, request, () => {
    const { product, created } = catalogue.upsert(request.params.sku, request.body);
    return { statusCode: created ? 201 : 200, body: product };
  })));

  app.put<{ Params: { sku: string }; Body: { available: number } }>('/products/:sku/availability', {
    schema: {
      tags: ['inbound'], summary: 'Flow 8: units available to promise, from the SCM', params: skuParams,
      body: { type: 'object', additionalProperties: false, required: ['available'], properties: { available: { type: 'integer', minimum: 0, maximum: 2_147_483_647 } } },
    },
  }, async (request, reply) => sendResult(reply, executeCommand(store, request, () => ({ statusCode: 200, body: catalogue.setAvailability(request.params.sku, request.body.available) }))));
}
