import type { FastifyInstance } from 'fastify';
import { addressSchema, idSchema, lineSchema, runCommand, text, type ServiceStore } from '../../../hub/service/index.js';
import type { NewSalesOrder, SalesOrders } from '../sales-orders.js';

const numberParams = { type: 'object', required: ['number'], properties: { number: idSchema } } as const;
const reasonBody = { type: 'object', additionalProperties: false, properties: { reason: text(500) } } as const;

/** Sales orders: created and cancelled by the CRM connector (flow 4), read by people and tests. */
export function registerSalesOrderRoutes(app: FastifyInstance, store: ServiceStore, salesOrders: SalesOrders): void {
  app.post<{ Body: NewSalesOrder }>('/sales-orders', {
    schema: {
      tags: ['inbound'], summary: 'Flow 4: create a sales order for a CRM order (confirmed or rejected after the credit check)',
      body: {
        type: 'object', additionalProperties: false, required: ['crmOrderId', 'crmCustomerId', 'lines', 'shipTo'],
        properties: { crmOrderId: idSchema, crmCustomerId: idSchema, lines: { type: 'array', minItems: 1, maxItems: 100, items: lineSchema }, shipTo: addressSchema },
      },
    },
  }, async (request, reply) => runCommand(store, request, reply, (command) => {
    const { order, created } = salesOrders.create(request.body, command);
    return { statusCode: created ? 201 : 200, body: order };
  }));

  app.get<{ Querystring: { crmOrderId?: string; status?: string; accountNumber?: string } }>('/sales-orders', {
    schema: {
      tags: ['sales orders'], summary: 'Sales orders, e.g. ?crmOrderId=O-1',
      querystring: { type: 'object', properties: { crmOrderId: idSchema, status: { type: 'string' }, accountNumber: idSchema } },
    },
  }, async (request) => salesOrders.list(request.query));

  app.get<{ Params: { number: string } }>('/sales-orders/:number', { schema: { tags: ['sales orders'], summary: 'One sales order', params: numberParams } },
    async (request) => salesOrders.get(request.params.number));

  app.post<{ Params: { number: string }; Body: { reason?: string } | undefined }>('/sales-orders/:number/cancel', {
    schema: { tags: ['sales orders'], summary: 'Cancel a confirmed sales order', params: numberParams, body: reasonBody },
  }, async (request, reply) => runCommand(store, request, reply, (command) => ({ statusCode: 200, body: salesOrders.cancel(request.params.number, request.body?.reason, command) })));

  app.post<{ Body: { crmOrderId: string; reason?: string } }>('/sales-order-cancellations', {
    schema: {
      tags: ['inbound'], summary: 'Flow 4: cancel the sales order of a cancelled CRM order',
      body: { type: 'object', additionalProperties: false, required: ['crmOrderId'], properties: { crmOrderId: idSchema, reason: text(500) } },
    },
  }, async (request, reply) => runCommand(store, request, reply, (command) => {
    const number = salesOrders.numberForCrmOrder(request.body.crmOrderId);
    return { statusCode: 200, body: salesOrders.cancel(number, request.body.reason, command) };
  }));
}
