import type { Address } from '../../catalogue/index.js';
import { MappingError } from '../errors/index.js';

/**
 * An event's Address as the services' HTTP bodies take it: `line2` left out rather than null
 * (their JSON schemas refuse null), and a country that is not ISO 3166 alpha-2 refused as a
 * mapping error (dead-lettered with the reason), since no retry can fix it.
 *
 * @param owner names the object in the error, e.g. `order O-17`.
 * @example
 * ```ts
 * http({ method: 'POST', path: '/sales-orders', body: { shipTo: addressBody(value.shipTo, `order ${value.orderId}`) } })
 * ```
 */
export function addressBody(address: Address, owner: string): Record<string, string> {
  if (!/^[A-Z]{2}$/.test(address.country)) throw new MappingError(`${owner}: country ${JSON.stringify(address.country)} is not an ISO 3166 alpha-2 code`);
  const body: Record<string, string> = { line1: address.line1, city: address.city, postalCode: address.postalCode, country: address.country };
  if (address.line2) body.line2 = address.line2;
  return body;
}
