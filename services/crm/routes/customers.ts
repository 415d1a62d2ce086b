import type { FastifyInstance } from 'fastify';
import type { CreditStatus } from '../../../catalogue/index.js';
import {
  addressSchema, executeCommand, idSchema, moneySchema, sendResult, text, type ServiceStore,
} from '../../../hub/service/index.js';
import type { CustomerChanges, Customers, ErpAccountUpdate, NewCustomer } from '../customers.js';
import type { Orders } from '../orders.js';

const segment = { type: 'string', enum: ['SMB', 'ENTERPRISE', 'CONSUMER'] } as const;
const customerFields = {
  name: text(200),
  email: { type: 'string', format: 'email', maxLength: 254 },
  phone: { type: 'string', pattern: '^\\+?[0-9][0-9 ()./-]{3,30}$' },
  segment,
  billingAddress: addressSchema,
  shippingAddress: addressSchema,
} as const;
const idParams = { type: 'object', required: ['id'], properties: { id: idSchema } } as const;

/** Customer routes, including the 360 view and the ERP account update of flow 3. */
export function registerCustomerRoutes(app: FastifyInstance, store: ServiceStore, customers: Customers, orders: Orders): void {
  app.post<{ Body: NewCustomer }>('/customers', {
    schema: {
      tags: ['customers'], summary: 'Create a customer',
      body: { type: 'object', additionalProperties: false, required: ['name', 'email', 'segment', 'billingAddress'], properties: customerFields },
    },
  }, async (request, reply) => {
    const result = executeCommand(store, request, (command) => ({ statusCode: 201, body: customers.create(request.body, command) }));
    return sendResult(reply, result);
  });

  app.get<{ Querystring: { status?: string; segment?: string } }>('/customers', {
    schema: {
      tags: ['customers'], summary: 'List customers',
      querystring: { type: 'object', properties: { status: { type: 'string', enum: ['ACTIVE', 'INACTIVE'] }, segment } },
    },
  }, async (request) => customers.list(request.query));

  app.get<{ Params: { id: string } }>('/customers/:id', {
    schema: { tags: ['customers'], summary: 'The customer 360: ERP account, credit status, balance, open orders and invoices', params: idParams },
  }, async (request) => {
    const customer = customers.get(request.params.id);
    const all = orders.list({ customerId: customer.id });
    return {
      ...customer,
      orders: orders.openOrders(customer.id),
      invoices: all.filter((order) => order.invoice !== null).map((order) => ({ orderId: order.id, ...order.invoice })),
    };
  });

  app.patch<{ Params: { id: string }; Body: CustomerChanges }>('/customers/:id', {
    schema: {
      tags: ['customers'], summary: 'Change a customer', params: idParams,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: customerFields },
    },
  }, async (request, reply) => {
    const result = executeCommand(store, request, (command) => ({ statusCode: 200, body: customers.update(request.params.id, request.body, command) }));
    return sendResult(reply, result);
  });

  app.post<{ Params: { id: string }; Body: { reason?: string } | undefined }>('/customers/:id/deactivate', {
    schema: {
      tags: ['customers'], summary: 'Deactivate a customer', params: idParams,
      body: { type: 'object', additionalProperties: false, properties: { reason: text(500) } },
    },
  }, async (request, reply) => {
    const result = executeCommand(store, request, (command) => ({ statusCode: 200, body: customers.deactivate(request.params.id, request.body?.reason, command) }));
    return sendResult(reply, result);
  });

  app.put<{ Params: { id: string }; Body: ErpAccountUpdate }>('/customers/:id/erp-account', {
    schema: {
      tags: ['inbound'], summary: 'Flow 3: ERP account number, credit status, limit and balance', params: idParams,
      body: {
        type: 'object', additionalProperties: false, required: ['accountNumber', 'creditStatus'],
        properties: {
          accountNumber: idSchema,
          creditStatus: { type: 'string', enum: ['OK', 'HOLD', 'BLOCKED'] satisfies CreditStatus[] },
          creditLimit: moneySchema,
          balance: moneySchema,
        },
      },
    },
  }, async (request, reply) => {
    const result = executeCommand(store, request, () => ({ statusCode: 200, body: customers.setErpAccount(request.params.id, request.body) }));
    return sendResult(reply, result);
  });
}
