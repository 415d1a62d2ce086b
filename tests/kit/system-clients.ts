/**
 * The three services of a running system as end-to-end tests use them: a JSON client per
 * service (tests seed and observe through the services' public HTTP routes only), the shapes
 * they answer with, and the seeding steps every flow starts with.
 */
import { serviceClient, type ServiceClient } from './http.js';
import { eventually } from './isolation.js';
import type { RunningSystem } from './system.js';

export interface Money { amount: string; currency: string }
export interface TimelineEntry { status: string; note: string | null; at: number }
export interface CrmCustomer {
  id: string; segment: string; erpAccountNumber: string | null; creditStatus: string | null; creditLimit: Money | null; balance: Money | null;
}
export interface CrmOrder {
  id: string; status: string; erpOrderNumber: string | null;
  rejection: { reasonCode: string; message: string | null } | null;
  shipment: { carrier: string; trackingNumber: string } | null;
  invoice: { number: string; status: string; amount: Money | null; outstanding: Money | null } | null;
  timeline: TimelineEntry[];
}
export interface CrmProduct { sku: string; name: string; unitPrice: Money; available: number | null }
export interface SalesOrder { salesOrderNumber: string; crmOrderId: string; accountNumber: string; status: string; total: Money; rejection: { reasonCode: string; message: string } | null }
export interface Invoice { invoiceNumber: string; salesOrderNumber: string; amount: Money; outstanding: Money; status: string }
export interface ErpAccount { accountNumber: string; creditStatus: string; balance: Money; creditLimit: Money }
export interface Shipment {
  id: string; salesOrderNumber: string; crmOrderId: string; status: string; warehouseId: string;
  lines: { sku: string; quantity: number; reserved: number }[]; carrier: string | null; trackingNumber: string | null;
}
export interface StockLevel { sku: string; onHand: number; reserved: number; available: number }
export interface PurchaseOrder { purchaseOrderNumber: string; sku: string; quantity: number; warehouseId: string; status: string; reorderReference: string | null }
export interface ExpectedReceipt { purchaseOrderNumber: string; sku: string; warehouseId: string; quantity: number; status: string }
export interface InventoryPosition {
  sku: string; onHand: number; reserved: number; available: number; value: Money;
  ledger: { movementId: string; warehouseId: string; movementType: string; quantity: number; reference: string | null }[];
}

/** The three services of a running system, and the steps every flow starts with. */
export class Systems {
  readonly crm: ServiceClient;
  readonly erp: ServiceClient;
  readonly scm: ServiceClient;

  constructor(readonly system: RunningSystem, private readonly timeoutMs = 60_000) {
    this.crm = serviceClient(system.urls.crm);
    this.erp = serviceClient(system.urls.erp);
    this.scm = serviceClient(system.urls.scm);
  }

  /** Polls until `probe` gives a value; the timeout message names what was awaited. */
  until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = this.timeoutMs): Promise<T> {
    return eventually(probe, timeoutMs, what);
  }

  /** Creates a product in the ERP (the product master) and waits until flow 12 has put it into the SCM item master and the CRM catalogue. */
  async product(sku: string, unitPrice: string, standardCost = '1.00'): Promise<void> {
    await this.erp.post('/products', { sku, name: `Product ${sku}`, unitPrice: { amount: unitPrice, currency: 'EUR' }, standardCost: { amount: standardCost, currency: 'EUR' } });
    await this.until(`${sku} in the SCM item master`, () => this.scm.find(`/items/${sku}`));
    await this.until(`${sku} in the CRM catalogue`, () => this.crm.find(`/products/${sku}`));
  }

  async warehouse(id: string): Promise<void> {
    await this.scm.post('/warehouses', { id, name: `Warehouse ${id}`, address: { line1: '1 Dock Road', city: 'Rotterdam', postalCode: '3011', country: 'NL' } });
  }

  receive(sku: string, warehouseId: string, quantity: number, reference?: string): Promise<unknown> {
    return this.scm.post('/stock/receipts', { sku, warehouseId, quantity, ...(reference ? { reference } : {}) });
  }

  /** Creates a CRM customer and, unless told not to, waits until flows 1 and 3 show its ERP account in the CRM. */
  async customer(name: string, segment: 'SMB' | 'ENTERPRISE' | 'CONSUMER', waitForAccount = true): Promise<CrmCustomer> {
    const created = await this.crm.post<CrmCustomer>('/customers', {
      name,
      email: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@example.com`,
      segment,
      billingAddress: { line1: '5 Market Street', city: 'Utrecht', postalCode: '3511', country: 'NL' },
    });
    if (!waitForAccount) return created;
    return this.until(`the ERP account of ${created.id} in the CRM`, async () => {
      const customer = await this.crm.get<CrmCustomer>(`/customers/${created.id}`);
      return customer.erpAccountNumber ? customer : undefined;
    });
  }

  placeOrder(customerId: string, lines: { sku: string; quantity: number }[]): Promise<CrmOrder> {
    return this.crm.post<CrmOrder>('/orders', { customerId, lines });
  }

  /** Waits until the CRM order satisfies `done`, and returns it. */
  orderWhen(orderId: string, what: string, done: (order: CrmOrder) => boolean, timeoutMs?: number): Promise<CrmOrder> {
    return this.until(`CRM order ${orderId}: ${what}`, async () => {
      const order = await this.crm.get<CrmOrder>(`/orders/${orderId}`);
      return done(order) ? order : undefined;
    }, timeoutMs);
  }

  salesOrders(crmOrderId: string): Promise<SalesOrder[]> {
    return this.erp.get<SalesOrder[]>(`/sales-orders?crmOrderId=${encodeURIComponent(crmOrderId)}`);
  }

  shipments(salesOrderNumber: string): Promise<Shipment[]> {
    return this.scm.get<Shipment[]>(`/shipments?salesOrderNumber=${encodeURIComponent(salesOrderNumber)}`);
  }

  shipmentsOfCrmOrder(crmOrderId: string): Promise<Shipment[]> {
    return this.scm.get<Shipment[]>(`/shipments?crmOrderId=${encodeURIComponent(crmOrderId)}`);
  }

  invoices(salesOrderNumber: string): Promise<Invoice[]> {
    return this.erp.get<Invoice[]>(`/invoices?salesOrderNumber=${encodeURIComponent(salesOrderNumber)}`);
  }

  /** Waits for the one shipment of a sales order to reach `status`. */
  shipmentWhen(salesOrderNumber: string, status: string): Promise<Shipment> {
    return this.until(`the shipment of ${salesOrderNumber} ${status}`, async () => {
      const shipments = await this.shipments(salesOrderNumber);
      return shipments.length === 1 && shipments[0].status === status ? shipments[0] : undefined;
    });
  }
}

/** Statuses of a timeline, in order. */
export const steps = (order: CrmOrder): string[] => order.timeline.map((entry) => entry.status);
