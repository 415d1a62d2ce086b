/**
 * One realistic example of every event type, following one order through the three systems:
 * customer C-1017 (ERP account 100045) orders two products, the ERP confirms SO-2024-0042, the
 * SCM ships it, the ERP invoices and is paid. Used by the codec round-trip test, the benchmark
 * and as fixtures for connector tests.
 */
import type { Address, EventFullName, EventTypeMap, Line } from '../catalogue/index.js';

const at = (iso: string): number => Date.parse(iso);

const billing: Address = { line1: 'Hafenstraße 12', line2: null, city: 'Hamburg', postalCode: '20457', country: 'DE' };
const shipping: Address = { line1: 'Lagerweg 3', line2: 'Tor 4', city: 'Bremen', postalCode: '28197', country: 'DE' };

const orderLines: Line[] = [
  { sku: 'SKU-CHAIR-01', quantity: 4, unitPrice: null, lineTotal: null },
  { sku: 'SKU-DESK-02', quantity: 1, unitPrice: null, lineTotal: null },
];
const pricedLines: Line[] = [
  { sku: 'SKU-CHAIR-01', quantity: 4, unitPrice: { amount: '149.90', currency: 'EUR' }, lineTotal: { amount: '599.60', currency: 'EUR' } },
  { sku: 'SKU-DESK-02', quantity: 1, unitPrice: { amount: '1249.00', currency: 'EUR' }, lineTotal: { amount: '1249.00', currency: 'EUR' } },
];

/** An example value of every event type, by record full name. */
export const EXAMPLE_EVENTS: { readonly [K in EventFullName]: EventTypeMap[K] } = {
  'switchboard.crm.CustomerCreated': {
    customerId: 'C-1017',
    name: 'Nordlicht Möbel GmbH',
    email: 'einkauf@nordlicht-moebel.de',
    phone: '+49 40 1234567',
    segment: 'SMB',
    billingAddress: billing,
    shippingAddress: shipping,
    createdAt: at('2024-05-02T08:15:00Z'),
  },
  'switchboard.crm.CustomerUpdated': {
    customerId: 'C-1017',
    name: 'Nordlicht Möbel GmbH',
    email: 'bestellung@nordlicht-moebel.de',
    phone: null,
    segment: 'ENTERPRISE',
    billingAddress: billing,
    shippingAddress: null,
    updatedAt: at('2024-05-03T10:00:00Z'),
  },
  'switchboard.crm.CustomerDeactivated': {
    customerId: 'C-0999',
    reason: 'Company dissolved',
    deactivatedAt: at('2024-05-04T12:30:00Z'),
  },
  'switchboard.crm.OrderPlaced': {
    orderId: 'O-50123',
    customerId: 'C-1017',
    lines: orderLines,
    shipTo: shipping,
    placedAt: at('2024-05-06T09:00:00Z'),
  },
  'switchboard.crm.OrderCancelled': {
    orderId: 'O-50124',
    customerId: 'C-1017',
    reason: null,
    cancelledAt: at('2024-05-06T09:30:00Z'),
  },
  'switchboard.erp.CustomerAccountOpened': {
    crmCustomerId: 'C-1017',
    accountNumber: '100045',
    name: 'Nordlicht Möbel GmbH',
    creditLimit: { amount: '25000.00', currency: 'EUR' },
    creditStatus: 'OK',
    openedAt: at('2024-05-02T08:15:02Z'),
  },
  'switchboard.erp.CreditStatusChanged': {
    crmCustomerId: 'C-1017',
    accountNumber: '100045',
    creditStatus: 'HOLD',
    previousCreditStatus: 'OK',
    creditLimit: { amount: '25000.00', currency: 'EUR' },
    balance: { amount: '25320.75', currency: 'EUR' },
    reason: 'Balance exceeds the credit limit',
    changedAt: at('2024-06-01T00:00:00Z'),
  },
  'switchboard.erp.SalesOrderConfirmed': {
    salesOrderNumber: 'SO-2024-0042',
    crmOrderId: 'O-50123',
    crmCustomerId: 'C-1017',
    erpAccountNumber: '100045',
    lines: pricedLines,
    total: { amount: '1848.60', currency: 'EUR' },
    shipTo: shipping,
    confirmedAt: at('2024-05-06T09:00:03Z'),
  },
  'switchboard.erp.SalesOrderRejected': {
    crmOrderId: 'O-50125',
    crmCustomerId: 'C-0871',
    salesOrderNumber: null,
    reasonCode: 'CREDIT_HOLD',
    message: 'Account 100012 is on credit hold',
    rejectedAt: at('2024-05-06T11:00:01Z'),
  },
  'switchboard.erp.SalesOrderCancelled': {
    salesOrderNumber: 'SO-2024-0043',
    crmOrderId: 'O-50124',
    reason: 'Cancelled in the CRM',
    cancelledAt: at('2024-05-06T09:30:02Z'),
  },
  'switchboard.erp.InvoiceIssued': {
    invoiceNumber: 'INV-2024-0107',
    salesOrderNumber: 'SO-2024-0042',
    crmOrderId: 'O-50123',
    crmCustomerId: 'C-1017',
    erpAccountNumber: '100045',
    amount: { amount: '2199.83', currency: 'EUR' },
    accountBalance: { amount: '2199.83', currency: 'EUR' },
    issuedAt: at('2024-05-07T15:00:00Z'),
    dueAt: at('2024-06-06T15:00:00Z'),
  },
  'switchboard.erp.PaymentReceived': {
    paymentId: 'PAY-88121',
    invoiceNumber: 'INV-2024-0107',
    salesOrderNumber: 'SO-2024-0042',
    crmOrderId: 'O-50123',
    crmCustomerId: 'C-1017',
    amount: { amount: '2199.83', currency: 'EUR' },
    invoiceOutstanding: { amount: '0.00', currency: 'EUR' },
    invoiceSettled: true,
    accountBalance: { amount: '0.00', currency: 'EUR' },
    receivedAt: at('2024-05-20T10:12:00Z'),
  },
  'switchboard.erp.ProductCreated': {
    sku: 'SKU-CHAIR-01',
    name: 'Ergonomic office chair',
    description: 'Mesh back, adjustable arm rests',
    unitPrice: { amount: '149.90', currency: 'EUR' },
    standardCost: { amount: '82.15', currency: 'EUR' },
    createdAt: at('2024-01-10T08:00:00Z'),
  },
  'switchboard.erp.PriceChanged': {
    sku: 'SKU-CHAIR-01',
    unitPrice: { amount: '159.90', currency: 'EUR' },
    previousUnitPrice: { amount: '149.90', currency: 'EUR' },
    changedAt: at('2024-05-06T09:00:01Z'),
  },
  'switchboard.erp.PurchaseOrderPlaced': {
    purchaseOrderNumber: 'PO-2024-0311',
    supplierId: 'SUP-204',
    warehouseId: 'WH-BRE',
    lines: [{ sku: 'SKU-CHAIR-01', quantity: 50, unitPrice: { amount: '82.15', currency: 'EUR' }, lineTotal: { amount: '4107.50', currency: 'EUR' } }],
    reorderReference: 'SKU-CHAIR-01@WH-BRE',
    expectedAt: at('2024-05-20T00:00:00Z'),
    placedAt: at('2024-05-06T10:00:00Z'),
  },
  'switchboard.scm.StockMoved': {
    movementId: 'MV-778812',
    sku: 'SKU-CHAIR-01',
    warehouseId: 'WH-BRE',
    quantity: 4,
    movementType: 'RESERVATION',
    reference: 'SO-2024-0042',
    onHand: 24,
    reserved: 10,
    totalAvailable: 14,
    movedAt: at('2024-05-06T09:00:05Z'),
  },
  'switchboard.scm.StockShortage': {
    sku: 'SKU-DESK-02',
    warehouseId: 'WH-BRE',
    requested: 3,
    available: 1,
    salesOrderNumber: 'SO-2024-0044',
    crmOrderId: 'O-50130',
    detectedAt: at('2024-05-06T13:00:00Z'),
  },
  'switchboard.scm.ReorderPointReached': {
    sku: 'SKU-CHAIR-01',
    warehouseId: 'WH-BRE',
    available: 14,
    reorderPoint: 15,
    reorderQuantity: 50,
    reachedAt: at('2024-05-06T09:00:05Z'),
  },
  'switchboard.scm.ShipmentCreated': {
    shipmentId: 'SH-31007',
    salesOrderNumber: 'SO-2024-0042',
    crmOrderId: 'O-50123',
    warehouseId: 'WH-BRE',
    lines: orderLines,
    shipTo: shipping,
    createdAt: at('2024-05-06T09:00:06Z'),
  },
  'switchboard.scm.ShipmentDispatched': {
    shipmentId: 'SH-31007',
    salesOrderNumber: 'SO-2024-0042',
    crmOrderId: 'O-50123',
    warehouseId: 'WH-BRE',
    carrier: 'DHL',
    trackingNumber: '00340434161094042557',
    lines: orderLines,
    dispatchedAt: at('2024-05-07T14:40:00Z'),
  },
  'switchboard.scm.ShipmentDelivered': {
    shipmentId: 'SH-31007',
    salesOrderNumber: 'SO-2024-0042',
    crmOrderId: 'O-50123',
    carrier: 'DHL',
    trackingNumber: '00340434161094042557',
    receivedBy: 'K. Petersen',
    deliveredAt: at('2024-05-08T11:05:00Z'),
  },
};
