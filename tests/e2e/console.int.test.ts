/**
 * The operators' web console in a real browser (Debian's Chromium, driven by playwright-core)
 * against the whole system as child processes: an operator signs in with a token, watches the
 * flow map's live figures for every connector, finds a stuck order by its CRM id, reads why it
 * is stuck (its sales order dead-lettered: the SCM had no warehouse), fixes the cause, replays
 * the dead letter from the triage page and sees it applied once, follows the order to cash on
 * its timeline, and reads the cycle time on the dashboard, which agrees with the events on the
 * topics. A viewer finds the controls disabled and the API refuses its replay. Screenshots of
 * each page go to `.switchboard/screenshots/`.
 */
import { jest } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { CONNECTORS } from '../../connectors/index.js';
import type { Dashboard, TrackAnswer } from '../../hub/tracking/index.js';
import { launchBrowser, type ConsoleBrowser } from '../kit/browser.js';
import { useFailureSystem } from '../kit/failure-rig.js';
import { eventually } from '../kit/isolation.js';
import type { SystemConsole } from '../kit/system.js';
import { Systems, type Invoice, type Shipment } from '../kit/system-clients.js';

jest.setTimeout(600_000);

const rig = useFailureSystem({ console: true, env: { ADMIN_SAMPLE_INTERVAL_MS: '1000' } });
const DLQ_CONNECTOR = 'erp-order-to-scm';
const tag = Date.now().toString(36).toUpperCase();
const SKU = `SKU-UI-${tag}`;
const WAREHOUSE = `WH-UI-${tag}`;

let browser: ConsoleBrowser;
let operator: Page;
let sys: Systems;
let orderId: string;

const consoleOf = (): SystemConsole => rig.system.console as SystemConsole;

/** The admin API as the test reads it (the page is what is under test; this is the oracle). */
async function adminGet<T>(path: string): Promise<T> {
  const answer = await fetch(`${consoleOf().url}${path}`, { headers: { authorization: `Bearer ${consoleOf().tokens.viewer}` } });
  if (!answer.ok) throw new Error(`GET ${path}: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as T;
}

/** Milliseconds the way the console's pages write them (ui/lib.js `duration`). */
function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
}

beforeAll(async () => {
  sys = new Systems(rig.system, 120_000);
  // Master data, but no warehouse in the SCM yet: the first fulfilment will be refused for good.
  await sys.product(SKU, '25.00');
  const customer = await sys.customer(`Console Customer ${tag}`, 'ENTERPRISE');
  const order = await sys.placeOrder(customer.id, [{ sku: SKU, quantity: 2 }]);
  orderId = order.id;
  browser = await launchBrowser();
  operator = await browser.signedIn(consoleOf().url, consoleOf().tokens.operator);
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

it('shows every connector on the flow map with live figures', rig.diagnosed(async () => {
  await operator.goto(`${consoleOf().url}/#/flow`);
  await operator.getByRole('heading', { name: 'Flow map' }).waitFor();
  await operator.getByText(/^Live, updated/).waitFor({ timeout: 30_000 });
  const { connectors } = await adminGet<{ connectors: { name: string; sources: string[]; target: string }[] }>('/api/flow');
  expect(connectors.map((connector) => connector.name).sort()).toEqual(CONNECTORS.map((connector) => connector.name).sort());
  const table = operator.getByRole('table', { name: 'Connectors, live' });
  for (const { name } of connectors) {
    const row = table.locator(`tr[data-connector="${name}"]`);
    await see(row.getByRole('link', { name })).toBeVisible();
    // Live figures: a Burrow status and a rate, not the placeholder.
    await row.locator('.badge').waitFor();
    expect(await row.locator('td.num').first().textContent()).toMatch(/\/s$/);
    // On the map too, as a link to the connector's page that says its figures.
    await see(operator.locator(`svg.flow-map a[href="#/connectors/${name}"]`)).toHaveAttribute('aria-label', new RegExp(`^${name}: status (OK|WARN|ERR)`));
  }
  // A declarative connector fed by a captured database: drawn from its CDC topic (under the database) into the
  // system its produced StockMoved goes to (the catalogue's SCM), not into "Topics".
  const cdcTopic = 'cdc.legacy-warehouse.public.stock_levels';
  expect(connectors.find((connector) => connector.name === 'legacy-stock-to-scm')).toMatchObject({ sources: [cdcTopic], target: 'scm' });
  await see(operator.locator(`svg.flow-map [aria-label="topic ${cdcTopic} of the legacy-warehouse (CDC): –"]`)).toBeVisible();
  const legacyEdges = operator.locator('svg.flow-map g.edge[data-connector="legacy-stock-to-scm"]');
  await see(legacyEdges.locator(`path[data-from="${cdcTopic}"]`)).toHaveCount(1);
  await see(legacyEdges.locator('path[data-to="scm"]')).toHaveCount(1);
  // Every topic's name, the CDC topic's long one too, ends before its rate inside the box (measured by the browser).
  // (SVG types, as the browser has them: this project compiles without the DOM library.)
  type Svg = { getBBox(): { x: number; width: number }; getAttribute(name: string): string | null };
  const overflowing = await operator.locator('svg.flow-map g.node.topic').evaluateAll((nodes) =>
    nodes.flatMap((node) => {
      const [name, figure] = [...node.querySelectorAll('text')] as unknown as Svg[];
      const box = (node.querySelector('rect') as unknown as Svg).getBBox();
      const end = name.getBBox().x + name.getBBox().width;
      return end < figure.getBBox().x - 4 && end < box.x + box.width ? [] : [name.getAttribute('data-topic')];
    }),
  );
  expect(overflowing).toEqual([]);
  await see(operator.locator(`svg.flow-map text[data-topic="${cdcTopic}"]`)).toHaveText('…public.stock_levels');
  await see(operator.locator('svg.flow-map g.node.target[data-system="topics"]')).toHaveCount(0);
  const legacyRow = table.locator('tr[data-connector="legacy-stock-to-scm"] td');
  await see(legacyRow.nth(0)).toHaveText(cdcTopic);
  await see(legacyRow.nth(1)).toHaveText('SCM');
  // Traffic moves the figures: a new customer shows on its topic's rate.
  await sys.customer(`Another customer ${tag}`, 'SMB', false);
  await operator.locator('svg.flow-map [aria-label^="topic crm.customer.v1"]:not([aria-label$=": 0/s"])').waitFor({ timeout: 30_000 });
  await browser.screenshot(operator, 'flow-map');
  await operator.getByRole('table', { name: 'Connectors, live' }).getByRole('link', { name: 'crm-order-to-erp' }).click();
  await operator.getByRole('heading', { name: /^crm-order-to-erp/ }).waitFor();
  await operator.getByRole('figure').first().waitFor();
  await see(operator.getByRole('button', { name: 'Pause' })).toBeEnabled();
  await browser.screenshot(operator, 'connector');
}));

it('finds the stuck order by its CRM id and says why: its sales order was dead-lettered', rig.diagnosed(async () => {
  await operator.goto(`${consoleOf().url}/#/track`);
  await operator.getByLabel('Any id of any system').fill(orderId);
  await operator.getByRole('button', { name: 'Find' }).click();
  const waiting = operator.getByRole('region', { name: 'Waiting' });
  await waiting.getByText(/dead-lettered by erp-order-to-scm/).waitFor({ timeout: 120_000 });
  await see(operator.getByRole('heading', { name: new RegExp(`Order ${orderId}`) }).locator('.badge').first()).toHaveText('stuck');
  await see(waiting).toContainText('SWB_ERR_RUNTIME_TARGET_REJECTED');
  await see(waiting).toContainText('no warehouse');
  await browser.screenshot(operator, 'track-stuck');
}));

it('shows the poisoned event in triage; a replay from the page, after the fix, applies it once', rig.diagnosed(async ({ system }) => {
  await operator.goto(`${consoleOf().url}/#/dead-letters`);
  const group = operator.getByRole('region', { name: /SWB_ERR_RUNTIME_TARGET_REJECTED/ });
  await group.waitFor({ timeout: 60_000 });
  await group.getByRole('button', { name: 'Show dead letters' }).click();
  await group.getByRole('link', { name: 'Open' }).first().click();
  const detail = operator.getByRole('region', { name: /^Dead letter \d+:\d+ of erp-order-to-scm/ });
  await detail.getByText('SalesOrderConfirmed').first().waitFor();
  await see(detail.getByLabel('Decoded event payload')).toContainText(`"crmOrderId": "${orderId}"`);
  await browser.screenshot(operator, 'dead-letters');

  // The cause fixed (a person creates the warehouse and receives stock), then the replay.
  await sys.warehouse(WAREHOUSE);
  await sys.receive(SKU, WAREHOUSE, 50);
  await detail.getByRole('button', { name: 'Replay' }).click();
  const dialog = operator.getByRole('dialog', { name: /Replay dead letter/ });
  await dialog.getByLabel(/Reason/).fill('warehouse created');
  await dialog.getByRole('button', { name: 'Replay' }).click();
  const replays = operator.getByRole('table', { name: 'Outcome of each replay' });
  await see(replays).toContainText('replayed now');
  await replays.locator('.replay-outcome').filter({ hasText: 'applied' }).waitFor({ timeout: 120_000 });
  await see(detail.getByRole('button', { name: 'Replay' })).toBeDisabled();
  await browser.screenshot(operator, 'dead-letters-replayed');

  const shipments = await sys.shipmentsOfCrmOrder(orderId);
  expect(shipments).toHaveLength(1);
  const { groups } = await adminGet<{ groups: { connector: string; open: number; replayed: number }[] }>(`/api/dead-letters?connector=${DLQ_CONNECTOR}`);
  expect(groups).toEqual([expect.objectContaining({ open: 0, replayed: 1 })]);
  expect(system.console).toBeDefined();
}));

it('follows the order to cash on its timeline, and the dashboard\'s cycle time agrees with the events', rig.diagnosed(async ({ bus, system }) => {
  // The warehouse dispatches, the ERP invoices, the customer pays.
  const [shipment] = await sys.shipmentsOfCrmOrder(orderId) as Shipment[];
  await sys.until('the shipment ready', async () => ((await sys.shipmentsOfCrmOrder(orderId))[0]?.status === 'READY' ? true : undefined));
  await sys.scm.post(`/shipments/${shipment.id}/dispatch`, { carrier: 'DHL', trackingNumber: `JD${tag}` });
  const invoice = await sys.until('the invoice', async () => (await sys.invoices(shipment.salesOrderNumber) as Invoice[])[0]);
  await sys.erp.post('/payments', { invoiceNumber: invoice.invoiceNumber, amount: invoice.amount });

  await operator.goto(`${consoleOf().url}/#/track/${encodeURIComponent(shipment.id)}`);
  const heading = operator.getByRole('heading', { name: new RegExp(`Order ${orderId}`) });
  await heading.locator('.badge', { hasText: 'complete' }).waitFor({ timeout: 120_000 });
  const timeline = operator.getByRole('table', { name: /^Timeline/ });
  const steps = await timeline.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-step')));
  const events = steps.filter((step) => step && /^[A-Z]/.test(step));
  expect(events).toEqual(expect.arrayContaining(['OrderPlaced', 'SalesOrderConfirmed', 'ShipmentCreated', 'ShipmentDispatched', 'InvoiceIssued', 'PaymentReceived']));
  expect(events.indexOf('OrderPlaced')).toBeLessThan(events.indexOf('PaymentReceived'));
  expect(steps).toEqual(expect.arrayContaining(['dead-lettered', 'replayed', 'applied']));
  await see(operator.getByRole('region', { name: 'Waiting' })).toHaveCount(0);
  await browser.screenshot(operator, 'track-complete');

  // The cycle time from the events themselves: OrderPlaced's ce_time to the settling PaymentReceived's.
  const timeOf = async (topic: string, type: string) => {
    const records = await bus.bus.readTopicToEnd(`${system.prefix}${topic}`);
    const record = records.find((r) => r.headers.ce_type === type && r.key?.toString() === orderId);
    if (!record) throw new Error(`no ${type} of ${orderId} on ${topic}`);
    return Date.parse(record.headers.ce_time as string);
  };
  const expected = (await timeOf('erp.invoice.v1', 'erp.invoice.PaymentReceived')) - (await timeOf('crm.order.v1', 'crm.order.OrderPlaced'));
  const dashboard = await eventually(async () => {
    const answer = await adminGet<Dashboard>('/api/dashboard');
    return answer.cycleTime.count === 1 ? answer : undefined;
  }, 60_000, 'the paid order on the dashboard');
  expect(dashboard.cycleTime).toEqual({ count: 1, p50Ms: expected, p90Ms: expected });
  await operator.goto(`${consoleOf().url}/#/dashboard`);
  await see(operator.locator('[data-figure="cycle-p50"] .big')).toHaveText(duration(expected));
  await see(operator.locator('[data-figure="cycle-p90"] .big')).toHaveText(duration(expected));
  await browser.screenshot(operator, 'dashboard');

  const track = await adminGet<TrackAnswer>(`/api/track?q=${encodeURIComponent(orderId)}`);
  expect(track.order).toMatchObject({ stage: 'PAID', next: null });
}));

it('gives a viewer disabled controls, and the API refuses its replay; the audit trail says who did what and why', rig.diagnosed(async () => {
  const viewer = await browser.signedIn(consoleOf().url, consoleOf().tokens.viewer);
  await viewer.goto(`${consoleOf().url}/#/dead-letters`);
  await viewer.getByLabel('Show', { exact: true }).selectOption('all');
  const group = viewer.getByRole('region', { name: /SWB_ERR_RUNTIME_TARGET_REJECTED/ });
  await group.waitFor({ timeout: 30_000 });
  await see(group.getByRole('button', { name: /^Replay all/ })).toBeDisabled();
  await see(viewer.getByText('Needs the operator role')).toBeVisible();
  await group.getByRole('button', { name: 'Show dead letters' }).click();
  await group.getByRole('link', { name: 'Open' }).first().click();
  const detail = viewer.getByRole('region', { name: /^Dead letter/ });
  await see(detail.getByRole('button', { name: 'Replay' })).toBeDisabled();
  await see(detail.getByRole('button', { name: 'Discard' })).toBeDisabled();
  await browser.screenshot(viewer, 'dead-letters-viewer');
  // The page would refuse; so does the API, whatever a viewer's browser sends.
  const id = (await detail.getByRole('heading').first().textContent())?.match(/(\d+:\d+)/)?.[1];
  const status = await viewer.evaluate(async ([path]) => (await fetch(path, {
    method: 'POST', headers: { authorization: `Bearer ${(globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem('switchboard.token')}`, 'content-type': 'application/json' }, body: '{}',
  })).status, [`/api/connectors/${DLQ_CONNECTOR}/dead-letters/${id}/replay`]);
  expect(status).toBe(403);
  await viewer.goto(`${consoleOf().url}/#/connectors/${DLQ_CONNECTOR}`);
  await see(viewer.getByRole('button', { name: 'Pause' })).toBeDisabled();

  await viewer.goto(`${consoleOf().url}/#/audit`);
  const audit = viewer.getByRole('table', { name: 'Audit entries, newest first' });
  await audit.locator('tbody tr').first().waitFor();
  await see(audit.locator('tbody tr').filter({ hasText: 'test-viewer' }).first()).toContainText('failed SWB_ERR_ADMIN_FORBIDDEN');
  await see(audit.locator('tbody tr').filter({ hasText: 'warehouse created' })).toContainText('test-operator');
  await browser.screenshot(viewer, 'audit');
}));

/** Playwright's web-first assertions, without @playwright/test: polls until the check passes (20 s at most). */
function see(locator: Locator) {
  const poll = async (what: string, check: () => Promise<boolean>) => {
    await eventually(async () => ((await check()) ? true : undefined), 20_000, `${String(locator)} ${what}`);
  };
  return {
    toBeVisible: () => poll('visible', () => locator.isVisible()),
    toBeEnabled: () => poll('enabled', () => locator.isEnabled()),
    toBeDisabled: () => poll('disabled', () => locator.isDisabled()),
    toHaveText: (text: string) => poll(`to have the text ${text}`, async () => ((await locator.textContent())?.trim() ?? '') === text),
    toContainText: (text: string) => poll(`to contain ${text}`, async () => ((await locator.textContent()) ?? '').includes(text)),
    toHaveAttribute: (name: string, value: RegExp) => poll(`to have ${name} ${String(value)}`, async () => value.test((await locator.getAttribute(name)) ?? '')),
    toHaveCount: (count: number) => poll(`to count ${count}`, async () => (await locator.count()) === count),
  };
}
