/**
 * The conformance table: for every registered connector, the events the conformance suite
 * publishes (a run of `count` events of one aggregate `key`, each causing at least one effect),
 * what the stand-in target answers where the mapping reads the answer, and the state the mapping
 * needs beforehand (cross-references). `connectors/conformance.int.test.ts` runs the suite for
 * each entry; a unit test fails when a registered connector has none.
 *
 * Adding a connector adds one entry here, next to its line in connectors/index.ts.
 */
import { eventEntry, type EventFullName, type EventTypeMap } from '../catalogue/index.js';
import { EXAMPLE_EVENTS } from '../schemas/examples.js';
import { STOCK_LEVELS_COLUMNS, STOCK_LEVELS_KEY, STOCK_LEVELS_TYPE, stockLevel } from '../demo/legacy-warehouse/stock-levels.js';
import type { ConformanceFixtures, FixtureEvent } from '../tests/kit/index.js';

/** `count` events of `type` for aggregate `key`: the example value, its key field set to `key`, and what `vary(i)` changes. */
function run<K extends EventFullName>(type: K, vary: (i: number, key: string) => Partial<EventTypeMap[K]> = () => ({})) {
  return (key: string, count: number): FixtureEvent[] =>
    Array.from({ length: count }, (_, i) => ({
      eventType: type,
      value: { ...EXAMPLE_EVENTS[type], [eventEntry(type).keyField]: key, ...vary(i + 1, key) },
    }));
}

/** Fixtures of every connector, by connector name. */
export const CONFORMANCE_FIXTURES: Readonly<Record<string, ConformanceFixtures>> = Object.freeze({
  'crm-customer-to-erp': {
    events: run('switchboard.crm.CustomerUpdated', (i, key) => ({ name: `${key} v${i}` })),
    respond: ({ id }) => ({ accountNumber: `A-${id}` }),
  },
  'crm-customer-to-scm': {
    events: run('switchboard.crm.CustomerUpdated', (i, key) => ({ name: `${key} v${i}` })),
  },
  'erp-account-to-crm': {
    events: run('switchboard.erp.CreditStatusChanged', (i) => ({ balance: { amount: `${1000 + i}.00`, currency: 'EUR' } })),
  },
  'crm-order-to-erp': {
    events: run('switchboard.crm.OrderPlaced', (i) => ({ placedAt: i })),
    respond: ({ id }) => ({ salesOrderNumber: `SO-${id}` }),
    setup: (stack) => stack.services.xref.put('customer', { crm: EXAMPLE_EVENTS['switchboard.crm.OrderPlaced'].customerId, erp: '100045' }),
  },
  'erp-order-to-scm': {
    events: run('switchboard.erp.SalesOrderConfirmed', (i, key) => ({ salesOrderNumber: `SO-${key}-${i}` })),
  },
  'erp-order-to-crm': {
    events: run('switchboard.erp.SalesOrderConfirmed', (i, key) => ({ salesOrderNumber: `SO-${key}-${i}` })),
  },
  'scm-stock-to-erp': {
    events: run('switchboard.scm.StockMoved', (i) => ({ movementId: `MV-${i}`, quantity: i })),
  },
  'scm-stock-to-crm': {
    events: run('switchboard.scm.StockMoved', (i) => ({ movementId: `MV-${i}`, totalAvailable: i })),
  },
  'scm-shipment-to-erp': {
    events: run('switchboard.scm.ShipmentDispatched', (i, key) => ({ shipmentId: `SH-${key}-${i}` })),
  },
  'scm-shipment-to-crm': {
    events: run('switchboard.scm.ShipmentDispatched', (i, key) => ({ shipmentId: `SH-${key}-${i}`, trackingNumber: `T-${i}` })),
  },
  'erp-invoice-to-crm': {
    events: run('switchboard.erp.InvoiceIssued', (i, key) => ({ invoiceNumber: `INV-${key}-${i}` })),
  },
  'erp-product-to-crm': {
    events: run('switchboard.erp.PriceChanged', (i) => ({ unitPrice: { amount: `${100 + i}.00`, currency: 'EUR' } })),
  },
  'erp-product-to-scm': {
    events: run('switchboard.erp.ProductCreated', (i, key) => ({ name: `${key} v${i}` })),
  },
  'scm-reorder-to-erp': {
    events: run('switchboard.scm.ReorderPointReached', (i) => ({ available: i })),
  },
  'erp-po-to-scm': {
    events: run('switchboard.erp.PurchaseOrderPlaced', (i) => ({ placedAt: i })),
  },
  'legacy-stock-to-scm': {
    // Row changes of the legacy warehouse's stock_levels as switchboard cdc publishes them: the level rises by one each time.
    events: (key, count) =>
      Array.from({ length: count }, (_, i) => ({
        eventType: STOCK_LEVELS_TYPE,
        value: { op: 'update', before: stockLevel(key, 10 + i), after: stockLevel(key, 11 + i), lsn: `0/${(i + 1).toString(16)}`, committedAt: Date.now(), txId: i + 1 },
      })),
    produces: ['switchboard.scm.StockMoved'],
    setup: async (stack) => void stack.defineCdcTable(STOCK_LEVELS_TYPE, STOCK_LEVELS_COLUMNS, STOCK_LEVELS_KEY),
  },
});
