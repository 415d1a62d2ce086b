import type { FastifyInstance } from 'fastify';
import { addressSchema, idSchema, lineSchema, runCommand, text, type ServiceStore } from '../../../hub/service/index.js';
import type { Fulfilments, NewFulfilment } from '../fulfilments.js';

const idParams = { type: 'object', required: ['id'], properties: { id: idSchema } } as const;

/** Fulfilments (flow 5) and shipments: dispatch and delivery. */
export function registerShipmentRoutes(app: FastifyInstance, store: ServiceStore, fulfilments: Fulfilments): void {
  app.post<{ Body: NewFulfilment }>('/fulfilments', {
    schema: {
      tags: ['inbound'], summary: 'Flow 5: reserve stock and create the shipment for a confirmed sales order (short lines are backordered)',
      body: {
        type: 'object', additionalProperties: false, required: ['salesOrderNumber', 'crmOrderId', 'crmCustomerId', 'lines'],
        properties: {
          salesOrderNumber: idSchema, crmOrderId: idSchema, crmCustomerId: idSchema,
          lines: { type: 'array', minItems: 1, maxItems: 100, items: lineSchema }, shipTo: addressSchema,
        },
      },
    },
  }, async (request, reply) => runCommand(store, request, reply, (command) => {
    const { shipment, created } = fulfilments.create(request.body, command);
    return { statusCode: created ? 201 : 200, body: shipment };
  }));

  app.get<{ Querystring: { salesOrderNumber?: string; status?: string; crmOrderId?: string } }>('/shipments', {
    schema: {
      tags: ['shipments'], summary: 'Shipments, e.g. ?salesOrderNumber=SO-1',
      querystring: { type: 'object', properties: { salesOrderNumber: idSchema, status: { type: 'string' }, crmOrderId: idSchema } },
    },
  }, async (request) => fulfilments.list(request.query));

  app.get<{ Params: { id: string } }>('/shipments/:id', { schema: { tags: ['shipments'], summary: 'One shipment', params: idParams } },
    async (request) => fulfilments.get(request.params.id));

  app.post<{ Params: { id: string }; Body: { carrier: string; trackingNumber: string } }>('/shipments/:id/dispatch', {
    schema: {
      tags: ['shipments'], summary: 'Dispatch a ready shipment', params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['carrier', 'trackingNumber'], properties: { carrier: text(100), trackingNumber: text(100) } },
    },
  }, async (request, reply) => runCommand(store, request, reply, (command) => ({
    statusCode: 200, body: fulfilments.dispatch(request.params.id, request.body.carrier, request.body.trackingNumber, command),
  })));

  app.post<{ Params: { id: string }; Body: { receivedBy?: string } | undefined }>('/shipments/:id/deliver', {
    schema: {
      tags: ['shipments'], summary: 'Confirm delivery', params: idParams,
      body: { type: 'object', additionalProperties: false, properties: { receivedBy: text(200) } },
    },
  }, async (request, reply) => runCommand(store, request, reply, (command) => ({ statusCode: 200, body: fulfilments.deliver(request.params.id, request.body?.receivedBy, command) })));

  app.post<{ Params: { id: string } }>('/shipments/:id/cancel', {
    schema: { tags: ['shipments'], summary: 'Cancel a shipment not yet dispatched; releases its reservations', params: idParams, body: { type: 'object', additionalProperties: false, properties: {} } },
  }, async (request, reply) => runCommand(store, request, reply, (command) => ({ statusCode: 200, body: fulfilments.cancel(request.params.id, command) })));
}
