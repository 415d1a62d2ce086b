import type { FastifyInstance } from 'fastify';
import { idSchema, runCommand, type Money, type ServiceStore } from '../../../hub/service/index.js';
import { erpMoneySchema } from '../currency.js';
import type { Invoices } from '../invoices.js';

/** Invoices (issued by the SCM connector on dispatch, flow 9) and payments. */
export function registerInvoiceRoutes(app: FastifyInstance, store: ServiceStore, invoices: Invoices): void {
  app.post<{ Body: { salesOrderNumber: string; shipmentId?: string } }>('/invoices', {
    schema: {
      tags: ['inbound'], summary: 'Flow 9: issue the invoice for a dispatched sales order',
      body: { type: 'object', additionalProperties: false, required: ['salesOrderNumber'], properties: { salesOrderNumber: idSchema, shipmentId: idSchema } },
    },
  }, async (request, reply) => runCommand(store, request, reply, (command) => {
    const { invoice, created } = invoices.issue(request.body.salesOrderNumber, request.body.shipmentId, command);
    return { statusCode: created ? 201 : 200, body: invoice };
  }));

  app.get<{ Querystring: { salesOrderNumber?: string; accountNumber?: string; status?: string } }>('/invoices', {
    schema: {
      tags: ['invoices'], summary: 'Invoices, e.g. ?salesOrderNumber=SO-1',
      querystring: { type: 'object', properties: { salesOrderNumber: idSchema, accountNumber: idSchema, status: { type: 'string' } } },
    },
  }, async (request) => invoices.list(request.query));

  app.get<{ Params: { number: string } }>('/invoices/:number', {
    schema: { tags: ['invoices'], summary: 'One invoice', params: { type: 'object', properties: { number: idSchema } } },
  }, async (request) => invoices.get(request.params.number, 'number'));

  app.post<{ Body: { invoiceNumber: string; amount: Money } }>('/payments', {
    schema: {
      tags: ['invoices'], summary: 'Record a payment against an invoice',
      body: { type: 'object', additionalProperties: false, required: ['invoiceNumber', 'amount'], properties: { invoiceNumber: idSchema, amount: erpMoneySchema } },
    },
  }, async (request, reply) => runCommand(store, request, reply, (command) => ({ statusCode: 201, body: invoices.pay(request.body.invoiceNumber, request.body.amount, command) })));
}
