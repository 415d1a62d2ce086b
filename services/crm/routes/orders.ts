import type { FastifyInstance } from 'fastify';
import type { RejectionReason } from '../../../catalogue/index.js';
import {
  addressSchema, executeCommand, idSchema, lineSchema, moneySchema, sendResult, text, type ServiceStore,
} from '../../../hub/service/index.js';
import type { InvoiceUpdate, NewOrder, Orders } from '../orders.js';

const idParams = { type: 'object', required: ['id'], properties: { id: idSchema } } as const;
const REJECTION_REASONS: RejectionReason[] = ['CREDIT_HOLD', 'CREDIT_LIMIT_EXCEEDED', 'UNKNOWN_PRODUCT', 'INVALID_ORDER', 'OTHER'];
const emptyBody = { type: 'object', additionalProperties: false, properties: {} } as const;

/** Order routes: place, cancel, read, and the status transitions the connectors report (flows 6, 10, 11). */
export function registerOrderRoutes(app: FastifyInstance, store: ServiceStore, orders: Orders): void {
  app.post<{ Body: NewOrder }>('/orders', {
    schema: {
      tags: ['orders'], summary: 'Place an order',
      description: 'Each SKU on one line only: a SKU on two lines is a 400 SWB_ERR_CRM_ORDER_DUPLICATE_SKU naming the second line (JSON Schema cannot say it).',
      body: {
        type: 'object', additionalProperties: false, required: ['customerId', 'lines'],
        properties: { customerId: idSchema, lines: { type: 'array', minItems: 1, maxItems: 100, items: lineSchema }, shipTo: addressSchema },
      },
    },
  }, async (request, reply) => {
    const result = executeCommand(store, request, (command) => {
      const order = orders.place(request.body, command);
      return { statusCode: 201, body: order };
    });
    return sendResult(reply, result);
  });

  app.get<{ Querystring: { customerId?: string; status?: string } }>('/orders', {
    schema: {
      tags: ['orders'], summary: 'List orders',
      querystring: { type: 'object', properties: { customerId: idSchema, status: { type: 'string' } } },
    },
  }, async (request) => orders.list(request.query));

  app.get<{ Params: { id: string } }>('/orders/:id', {
    schema: { tags: ['orders'], summary: 'An order with ERP number, shipment, invoice and timeline', params: idParams },
  }, async (request) => orders.get(request.params.id));

  app.post<{ Params: { id: string }; Body: { reason?: string } | undefined }>('/orders/:id/cancel', {
    schema: {
      tags: ['orders'], summary: 'Cancel a placed or confirmed order', params: idParams,
      body: { type: 'object', additionalProperties: false, properties: { reason: text(500) } },
    },
  }, async (request, reply) => {
    const result = executeCommand(store, request, (command) => ({ statusCode: 200, body: orders.cancel(request.params.id, request.body?.reason, command) }));
    return sendResult(reply, result);
  });

  app.post<{ Params: { id: string }; Body: { erpOrderNumber: string } }>('/orders/:id/confirm', {
    schema: {
      tags: ['inbound'], summary: 'Flow 6: the ERP confirmed the order', params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['erpOrderNumber'], properties: { erpOrderNumber: idSchema } },
    },
  }, async (request, reply) => sendResult(reply, executeCommand(store, request, () => ({ statusCode: 200, body: orders.confirm(request.params.id, request.body.erpOrderNumber) }))));

  app.post<{ Params: { id: string }; Body: { reasonCode: RejectionReason; message?: string; erpOrderNumber?: string } }>('/orders/:id/reject', {
    schema: {
      tags: ['inbound'], summary: 'Flow 6: the ERP rejected the order', params: idParams,
      body: {
        type: 'object', additionalProperties: false, required: ['reasonCode'],
        properties: { reasonCode: { type: 'string', enum: REJECTION_REASONS }, message: text(500), erpOrderNumber: idSchema },
      },
    },
  }, async (request, reply) => {
    const { reasonCode, message, erpOrderNumber } = request.body;
    return sendResult(reply, executeCommand(store, request, () => ({ statusCode: 200, body: orders.reject(request.params.id, reasonCode, message, erpOrderNumber) })));
  });

  app.post<{ Params: { id: string }; Body: { carrier: string; trackingNumber: string } }>('/orders/:id/ship', {
    schema: {
      tags: ['inbound'], summary: 'Flow 10: the SCM dispatched the goods', params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['carrier', 'trackingNumber'], properties: { carrier: text(100), trackingNumber: text(100) } },
    },
  }, async (request, reply) => {
    const { carrier, trackingNumber } = request.body;
    return sendResult(reply, executeCommand(store, request, () => ({ statusCode: 200, body: orders.ship(request.params.id, carrier, trackingNumber) })));
  });

  app.post<{ Params: { id: string } }>('/orders/:id/deliver', {
    schema: { tags: ['inbound'], summary: 'Flow 10: the goods were delivered', params: idParams, body: emptyBody },
  }, async (request, reply) => sendResult(reply, executeCommand(store, request, () => ({ statusCode: 200, body: orders.deliver(request.params.id) }))));

  app.put<{ Params: { id: string }; Body: InvoiceUpdate }>('/orders/:id/invoice', {
    schema: {
      tags: ['inbound'], summary: 'Flow 11: invoice issued or paid', params: idParams,
      body: {
        type: 'object', additionalProperties: false, required: ['invoiceNumber', 'status', 'amount'],
        properties: {
          invoiceNumber: idSchema, status: { type: 'string', enum: ['ISSUED', 'PARTIALLY_PAID', 'PAID'] },
          amount: moneySchema, outstanding: moneySchema,
        },
      },
    },
  }, async (request, reply) => sendResult(reply, executeCommand(store, request, () => ({ statusCode: 200, body: orders.setInvoice(request.params.id, request.body) }))));
}
