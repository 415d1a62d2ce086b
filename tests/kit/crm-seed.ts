/**
 * Seeds a running CRM through its HTTP API for connector tests that write into the CRM: one
 * customer, and orders of that customer to attach shipments, invoices and payments to.
 */
import { callJson } from './http.js';

const ADDRESS = { line1: 'Hafenstraße 12', city: 'Hamburg', postalCode: '20457', country: 'DE' };

/** Creates a customer in the CRM at `crmUrl`; returns its id. */
export async function createCrmCustomer(crmUrl: string): Promise<string> {
  const customer = await callJson(crmUrl, 'POST', '/customers', { name: 'Nordlicht Möbel GmbH', email: 'einkauf@nordlicht.example', segment: 'SMB', billingAddress: ADDRESS });
  if (customer.status !== 201) throw new Error(`creating the test customer answered ${customer.status}: ${JSON.stringify(customer.body)}`);
  return (customer.body as { id: string }).id;
}

/** Places an order of four chairs for `customerId`; returns the CRM order id. */
export async function placeCrmOrder(crmUrl: string, customerId: string): Promise<string> {
  const placed = await callJson(crmUrl, 'POST', '/orders', { customerId, lines: [{ sku: 'SKU-CHAIR-01', quantity: 4 }] });
  if (placed.status !== 201) throw new Error(`placing the test order answered ${placed.status}: ${JSON.stringify(placed.body)}`);
  return (placed.body as { id: string }).id;
}
