import type { FastifyInstance } from 'fastify';
import { addressSchema, idSchema, runCommand, skuSchema, text, type AddressInput, type ServiceStore } from '../../../hub/service/index.js';
import type { ItemUpdate, MasterData } from '../master-data.js';
import type { Stock } from '../stock.js';

const skuParams = { type: 'object', required: ['sku'], properties: { sku: skuSchema } } as const;
const count = { type: 'integer', minimum: 0, maximum: 1_000_000 } as const;

/** Warehouses, the item master (flow 12 and planners) and consignees (flow 2). */
export function registerMasterDataRoutes(app: FastifyInstance, store: ServiceStore, master: MasterData, stock: Stock): void {
  app.post<{ Body: { id: string; name: string; address?: AddressInput } }>('/warehouses', {
    schema: {
      tags: ['warehouses'], summary: 'Create a warehouse',
      body: { type: 'object', additionalProperties: false, required: ['id', 'name'], properties: { id: idSchema, name: text(200), address: addressSchema } },
    },
  }, async (request, reply) => runCommand(store, request, reply, () => ({ statusCode: 201, body: master.createWarehouse(request.body) })));

  app.get('/warehouses', { schema: { tags: ['warehouses'], summary: 'Warehouses' } }, async () => master.warehouses());

  app.put<{ Params: { sku: string }; Body: ItemUpdate }>('/items/:sku', {
    schema: {
      tags: ['items'], summary: 'Create or change an item: name (flow 12), reorder point and quantity', params: skuParams,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { name: text(200), reorderPoint: count, reorderQuantity: count } },
    },
  }, async (request, reply) => runCommand(store, request, reply, (command) => {
    const { item, created } = master.upsertItem(request.params.sku, request.body);
    if (request.body.reorderPoint !== undefined || request.body.reorderQuantity !== undefined) {
      stock.checkAllWarehouses(item.sku, command);
    }
    return { statusCode: created ? 201 : 200, body: item };
  }));

  app.get('/items', { schema: { tags: ['items'], summary: 'The item master' } }, async () => master.items());
  app.get<{ Params: { sku: string } }>('/items/:sku', { schema: { tags: ['items'], summary: 'One item', params: skuParams } },
    async (request) => master.item(request.params.sku));

  app.put<{ Params: { crmCustomerId: string }; Body: { name: string; address: AddressInput } }>('/consignees/:crmCustomerId', {
    schema: {
      tags: ['inbound'], summary: 'Flow 2: create or update the consignee of a CRM customer',
      params: { type: 'object', properties: { crmCustomerId: idSchema } },
      body: { type: 'object', additionalProperties: false, required: ['name', 'address'], properties: { name: text(200), address: addressSchema } },
    },
  }, async (request, reply) => runCommand(store, request, reply, () => {
    const { consignee, created } = master.upsertConsignee(request.params.crmCustomerId, request.body);
    return { statusCode: created ? 201 : 200, body: consignee };
  }));

  app.get('/consignees', { schema: { tags: ['consignees'], summary: 'Consignees' } }, async () => master.consignees());
}
