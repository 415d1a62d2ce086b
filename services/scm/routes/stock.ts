import type { FastifyInstance } from 'fastify';
import { epochMillisSchema, idSchema, quantitySchema, runCommand, skuSchema, text, type ServiceStore } from '../../../hub/service/index.js';
import type { GoodsReceipt, NewExpectedReceipt, Receipts } from '../receipts.js';
import type { Stock } from '../stock.js';

/** Stock levels, goods receipts and expected receipts (flow 14). */
export function registerStockRoutes(app: FastifyInstance, store: ServiceStore, stock: Stock, receipts: Receipts): void {
  app.post<{ Body: GoodsReceipt }>('/stock/receipts', {
    schema: {
      tags: ['stock'], summary: 'Receive goods into a warehouse',
      body: {
        type: 'object', additionalProperties: false, required: ['sku', 'warehouseId', 'quantity'],
        properties: { sku: skuSchema, warehouseId: idSchema, quantity: quantitySchema, reference: text(100) },
      },
    },
  }, async (request, reply) => runCommand(store, request, reply, (command) => ({ statusCode: 201, body: receipts.receive(request.body, command) })));

  app.get<{ Params: { sku: string } }>('/stock/:sku', {
    schema: { tags: ['stock'], summary: 'On hand, reserved and available per SKU and warehouse', params: { type: 'object', properties: { sku: skuSchema } } },
  }, async (request) => stock.level(request.params.sku));

  app.get<{ Params: { sku: string } }>('/stock/:sku/movements', {
    schema: { tags: ['stock'], summary: 'Stock movements of a SKU', params: { type: 'object', properties: { sku: skuSchema } } },
  }, async (request) => stock.movements(request.params.sku));

  app.post<{ Body: NewExpectedReceipt }>('/expected-receipts', {
    schema: {
      tags: ['inbound'], summary: 'Flow 14: expect the goods of a purchase order',
      body: {
        type: 'object', additionalProperties: false, required: ['purchaseOrderNumber', 'sku', 'warehouseId', 'quantity'],
        properties: { purchaseOrderNumber: idSchema, sku: skuSchema, warehouseId: idSchema, quantity: quantitySchema, expectedAt: epochMillisSchema },
      },
    },
  }, async (request, reply) => runCommand(store, request, reply, () => {
    const { receipt, created } = receipts.expect(request.body);
    return { statusCode: created ? 201 : 200, body: receipt };
  }));

  app.get<{ Querystring: { sku?: string; status?: string } }>('/expected-receipts', {
    schema: { tags: ['stock'], summary: 'Expected receipts', querystring: { type: 'object', properties: { sku: skuSchema, status: { type: 'string' } } } },
  }, async (request) => receipts.list(request.query));
}
