import { addressBody, defineConnector, http, mappingError, xref, type HttpResponse } from '../../hub/sdk/index.js';
import { topicSpec } from '../../catalogue/index.js';

/**
 * Flow 2: every CRM customer is a consignee in the SCM, so shipments know where goods go.
 * CustomerCreated and CustomerUpdated carry the full state; both upsert
 * `PUT /consignees/:crmCustomerId` `{name, address}` with the shipping address, or the billing
 * address when there is none. The consignee id the SCM assigned becomes the customer's SCM
 * cross-reference.
 */
export default defineConnector({
  name: 'crm-customer-to-scm',
  description: 'Creates or updates the SCM consignee (ship-to address) of each CRM customer',
  source: { topics: [topicSpec('crm', 'customer')], eventTypes: ['switchboard.crm.CustomerCreated', 'switchboard.crm.CustomerUpdated'] },
  target: { system: 'scm' },
  map: (event) => {
    const { customerId, name } = event.value;
    if (name.trim() === '' || name.length > 200) throw mappingError(`customer ${customerId}: name must be 1..200 characters with a non-blank one`);
    const address = event.value.shippingAddress ?? event.value.billingAddress;
    return [
      http({
        method: 'PUT',
        path: `/consignees/${encodeURIComponent(customerId)}`,
        body: { name, address: addressBody(address, `customer ${customerId}`) },
        onResponse: (response) => [xref.put('customer', { crm: customerId, scm: consigneeIdOf(response, customerId) })],
      }),
    ];
  },
});

function consigneeIdOf(response: HttpResponse, customerId: string): string {
  const body = response.body as { id?: unknown } | undefined;
  if (typeof body?.id !== 'string' || body.id === '') throw mappingError(`the SCM answered ${response.status} for customer ${customerId} without a consignee id`);
  return body.id;
}
