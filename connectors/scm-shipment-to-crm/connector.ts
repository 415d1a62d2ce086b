import { defineConnector, http, mappingError } from '../../hub/sdk/index.js';
import { topicSpec } from '../../catalogue/index.js';

/** The CRM path of an order. */
const orderPath = (crmOrderId: string, step: 'ship' | 'deliver'): string => `/orders/${encodeURIComponent(crmOrderId)}/${step}`;

/** Carrier and tracking number as the CRM takes them, or a mapping error. */
function tracking(value: { shipmentId: string; carrier: string; trackingNumber: string }): { carrier: string; trackingNumber: string } {
  const carrier = value.carrier.trim();
  const trackingNumber = value.trackingNumber.trim();
  if (!carrier || !trackingNumber) throw mappingError(`shipment ${value.shipmentId} has no carrier or tracking number`);
  if (carrier.length > 100 || trackingNumber.length > 100) throw mappingError(`shipment ${value.shipmentId}: carrier or tracking number longer than 100 characters`);
  return { carrier, trackingNumber };
}

/**
 * Flow 10: the CRM order shows SHIPPED with carrier and tracking number when the SCM
 * dispatches it, and DELIVERED when the carrier delivers it.
 *
 * Cancelled meanwhile: a dispatch of an order cancelled in the CRM is still reported. The
 * goods are on their way to the customer, and the sales rep must see that (with carrier and
 * tracking) to arrange a return; the CRM moves the order to SHIPPED with the note
 * "dispatched after cancellation" rather than refusing it. A dispatch of a REJECTED order is
 * refused by the CRM (409) and dead-lettered: that must never happen and needs an operator.
 *
 * Delivered: reported as ship (carrier, tracking) then deliver. Both are idempotent in the
 * CRM, so an order already SHIPPED only gets its tracking confirmed, and an order whose
 * dispatch report went missing (dead-lettered, replayed later) still reaches DELIVERED.
 *
 * Races: both events are keyed by the CRM order id, so one order's reports arrive in order.
 * The CRM order always exists before the SCM can ship it (orders start in the CRM), so a 404
 * is a real error and is dead-lettered.
 */
export default defineConnector({
  name: 'scm-shipment-to-crm',
  description: 'Shows CRM orders SHIPPED with carrier and tracking, then DELIVERED',
  source: { topics: [topicSpec('scm', 'shipment')], eventTypes: ['switchboard.scm.ShipmentDispatched', 'switchboard.scm.ShipmentDelivered'] },
  target: { system: 'crm' },
  map: (event) => {
    const { value } = event;
    if (!value.crmOrderId.trim()) throw mappingError(`shipment ${value.shipmentId} names no CRM order`);
    const ship = http({ method: 'POST', path: orderPath(value.crmOrderId, 'ship'), body: tracking(value) });
    if (event.type === 'switchboard.scm.ShipmentDispatched') return [ship];
    return [ship, http({ method: 'POST', path: orderPath(value.crmOrderId, 'deliver'), body: {} })];
  },
});
