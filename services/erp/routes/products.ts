import type { FastifyInstance } from 'fastify';
import { runCommand, skuSchema, text, type ServiceStore } from '../../../hub/service/index.js';
import { erpMoneySchema } from '../currency.js';
import type { NewProduct, ProductChanges, Products } from '../products.js';

const skuParams = { type: 'object', required: ['sku'], properties: { sku: skuSchema } } as const;
const productFields = { name: text(200), description: text(2000), unitPrice: erpMoneySchema, standardCost: erpMoneySchema } as const;

/** The product master (flow 12 publishes it). */
export function registerProductRoutes(app: FastifyInstance, store: ServiceStore, products: Products): void {
  app.post<{ Body: NewProduct }>('/products', {
    schema: {
      tags: ['products'], summary: 'Create a product',
      body: { type: 'object', additionalProperties: false, required: ['sku', 'name', 'unitPrice'], properties: { sku: skuSchema, ...productFields } },
    },
  }, async (request, reply) => runCommand(store, request, reply, (command) => ({ statusCode: 201, body: products.create(request.body, command) })));

  app.get('/products', { schema: { tags: ['products'], summary: 'The product master' } }, async () => products.list());

  app.get<{ Params: { sku: string } }>('/products/:sku', { schema: { tags: ['products'], summary: 'One product', params: skuParams } },
    async (request) => products.get(request.params.sku));

  app.patch<{ Params: { sku: string }; Body: ProductChanges }>('/products/:sku', {
    schema: {
      tags: ['products'], summary: 'Change price, cost, name or description', params: skuParams,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: productFields },
    },
  }, async (request, reply) => runCommand(store, request, reply, (command) => ({ statusCode: 200, body: products.update(request.params.sku, request.body, command) })));
}
