import type { FastifyInstance } from 'fastify';
import { idSchema, runCommand, text, type ServiceStore } from '../../../hub/service/index.js';
import type { AccountUpsert, Accounts } from '../accounts.js';

const segment = { type: 'string', enum: ['SMB', 'ENTERPRISE', 'CONSUMER'] } as const;

/** Customer accounts: read by people, opened and updated by the CRM connector (flow 1). */
export function registerAccountRoutes(app: FastifyInstance, store: ServiceStore, accounts: Accounts): void {
  app.get('/customers', { schema: { tags: ['accounts'], summary: 'Customer accounts with credit limit, status and balance' } }, async () => accounts.list());

  app.get<{ Params: { accountNumber: string } }>('/customers/:accountNumber', {
    schema: { tags: ['accounts'], summary: 'One customer account', params: { type: 'object', properties: { accountNumber: idSchema } } },
  }, async (request) => accounts.byNumber(request.params.accountNumber));

  app.get<{ Params: { crmCustomerId: string } }>('/accounts/:crmCustomerId', {
    schema: { tags: ['accounts'], summary: 'The account of a CRM customer', params: { type: 'object', properties: { crmCustomerId: idSchema } } },
  }, async (request) => accounts.byCrmCustomer(request.params.crmCustomerId, 'crmCustomerId'));

  app.put<{ Params: { crmCustomerId: string }; Body: AccountUpsert }>('/accounts/:crmCustomerId', {
    schema: {
      tags: ['inbound'], summary: 'Flow 1: open or update the account of a CRM customer',
      params: { type: 'object', properties: { crmCustomerId: idSchema } },
      body: { type: 'object', additionalProperties: false, required: ['name', 'segment'], properties: { name: text(200), segment } },
    },
  }, async (request, reply) => runCommand(store, request, reply, (command) => {
    const { account, created } = accounts.upsert(request.params.crmCustomerId, request.body, command);
    return { statusCode: created ? 201 : 200, body: account };
  }));
}
