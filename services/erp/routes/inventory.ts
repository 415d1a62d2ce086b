import type { FastifyInstance } from 'fastify';
import { epochMillisSchema, idSchema, quantitySchema, runCommand, skuSchema, text, type ServiceStore } from '../../../hub/service/index.js';
import type { Inventory, StockMovement } from '../inventory.js';
import type { NewPurchaseOrder, PurchaseOrders } from '../purchase-orders.js';

/** The inventory ledger (flow 7) and purchase orders (flow 13). */
export function registerInventoryRoutes(app: FastifyInstance, store: ServiceStore, inventory: Inventory, purchaseOrders: PurchaseOrders): void {
  app.post<{ Body: StockMovement }>('/inventory/movements', {
    schema: {
      tags: ['inbound'], summary: 'Flow 7: book an SCM stock movement in the ledger',
      body: {
        type: 'object', additionalProperties: false, required: ['movementId', 'sku', 'warehouseId', 'movementType', 'quantity'],
        properties: {
          movementId: idSchema, sku: skuSchema, warehouseId: idSchema,
          movementType: { type: 'string', enum: ['RECEIPT', 'RESERVATION', 'ISSUE', 'RELEASE', 'ADJUSTMENT'] },
          quantity: { type: 'integer', minimum: -1_000_000, maximum: 1_000_000, not: { const: 0 } },
          reference: text(100), movedAt: epochMillisSchema,
        },
      },
    },
  }, async (request, reply) => runCommand(store, request, reply, () => {
    const { position, booked } = inventory.book(request.body);
    return { statusCode: booked ? 201 : 200, body: position };
  }));

  app.get<{ Params: { sku: string } }>('/inventory/:sku', {
    schema: { tags: ['inventory'], summary: 'Units and value of a SKU, with its latest 50 ledger movements (oldest first)', params: { type: 'object', properties: { sku: skuSchema } } },
  }, async (request) => inventory.position(request.params.sku));

  app.post<{ Body: NewPurchaseOrder }>('/purchase-orders', {
    schema: {
      tags: ['inbound'], summary: 'Flow 13: place a purchase order (from a reorder point, or by a buyer)',
      body: {
        type: 'object', additionalProperties: false, required: ['sku', 'quantity', 'warehouseId'],
        properties: { sku: skuSchema, quantity: quantitySchema, warehouseId: idSchema, supplierId: idSchema, reorderReference: text(200), expectedAt: epochMillisSchema },
      },
    },
  }, async (request, reply) => runCommand(store, request, reply, (command) => ({ statusCode: 201, body: purchaseOrders.place(request.body, command) })));

  app.get<{ Querystring: { sku?: string; status?: string } }>('/purchase-orders', {
    schema: { tags: ['purchase orders'], summary: 'Purchase orders', querystring: { type: 'object', properties: { sku: skuSchema, status: { type: 'string' } } } },
  }, async (request) => purchaseOrders.list(request.query));
}
