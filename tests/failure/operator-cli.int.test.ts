/**
 * An operator at work, with the `switchboard` CLI alone against a running system (services,
 * worker and the admin API as child processes): finds a poisoned event in the dead letters,
 * reads why it failed, fixes the target, replays it, sees it applied once and a second replay
 * skipped, and finds both in the audit trail. A viewer sees a customer's dead letter with its
 * personal data masked. Exit codes tell not found and not allowed apart.
 */
import { jest } from '@jest/globals';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import type { AuditPage } from '../../hub/admin/audit-trail.js';
import type { ConnectorStatusView } from '../../hub/admin/connector-status.js';
import type { DeadLetterDetail, DeadLetterSummary } from '../../hub/admin/dead-letter-desk.js';
import type { Role } from '../../hub/admin/roles.js';
import { runSwitchboard, type CliRun } from '../kit/cli.js';
import { useFailureSystem } from '../kit/failure-rig.js';
import { serviceClient } from '../kit/http.js';
import { eventually } from '../kit/isolation.js';
import type { SystemConsole } from '../kit/system.js';

jest.setTimeout(420_000);

const PO_CONNECTOR = 'erp-po-to-scm';
const CUSTOMER_CONNECTOR = 'crm-customer-to-scm';

const rig = useFailureSystem({ connectors: [PO_CONNECTOR, CUSTOMER_CONNECTOR], console: true, env: { ADMIN_SAMPLE_INTERVAL_MS: '1000' } });

interface ExpectedReceipt { purchaseOrderNumber: string; warehouseId: string; quantity: number }

/** `switchboard <args>` as the holder of a token of `role` (or of none). */
function cli(args: readonly string[], role: Role | 'none'): Promise<CliRun> {
  const consoleOf = rig.system.console as SystemConsole;
  return runSwitchboard(args, { ...consoleOf.cliEnv, ...(role === 'none' ? {} : { SWITCHBOARD_TOKEN: consoleOf.tokens[role] }) });
}

/** The parsed `--json` output of a run that must succeed. */
async function json<T>(args: readonly string[], role: Role): Promise<T> {
  const run = await cli([...args, '--json'], role);
  if (run.code !== 0) throw new Error(`switchboard ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

it('finds a poisoned purchase order, reads why, fixes the target, replays it once, sees a second replay skipped and both in the audit trail', rig.diagnosed(async ({ system }) => {
  const tag = Date.now().toString(36).toUpperCase();
  const sku = `SKU-CLI-${tag}`;
  const warehouseId = `WH-CLI-${tag}`;
  await serviceClient(system.urls.erp).post('/products', { sku, name: 'CLI widget', unitPrice: { amount: '9.00', currency: 'EUR' }, standardCost: { amount: '5.00', currency: 'EUR' } });
  await serviceClient(system.urls.scm).put(`/items/${sku}`, { name: 'CLI widget' });
  // The SCM knows no such warehouse: it refuses the purchase order for good, so it is dead-lettered.
  const po = await serviceClient(system.urls.erp).post<{ purchaseOrderNumber: string }>('/purchase-orders', { sku, quantity: 12, warehouseId });

  const letter = await eventually(async () => {
    const { letters } = await json<{ letters: DeadLetterSummary[] }>(['dlq', 'list', '--connector', PO_CONNECTOR], 'operator');
    return letters.find((candidate) => candidate.key === po.purchaseOrderNumber);
  }, 120_000, `the dead letter of ${po.purchaseOrderNumber} through the CLI`);
  expect(letter).toMatchObject({ status: 'open', errorCode: 'SWB_ERR_RUNTIME_TARGET_REJECTED' });

  const groups = await cli(['dlq', 'list', '--connector', PO_CONNECTOR, '--group-by', 'code'], 'viewer');
  expect(groups.code).toBe(0);
  expect(groups.stdout).toMatch(/^CONNECTOR\s+CODE\s+COUNT\s+OPEN/m);
  expect(groups.stdout).toMatch(new RegExp(`${PO_CONNECTOR}\\s+SWB_ERR_RUNTIME_TARGET_REJECTED\\s+1\\s+1\\s+0\\s+0`));

  // Why: the SCM's answer, and the event as it was.
  const shown = await cli(['dlq', 'show', PO_CONNECTOR, letter.id], 'operator');
  expect(shown.code).toBe(0);
  expect(shown.stdout).toMatch(/error:\s+SWB_ERR_RUNTIME_TARGET_REJECTED/);
  expect(shown.stdout).toMatch(/reason:\s+.*404/);
  expect(shown.stdout).toMatch(/event type:\s+switchboard\.erp\.PurchaseOrderPlaced/);
  expect(shown.stdout).toContain(`"warehouseId": "${warehouseId}"`);

  // Fix the cause, replay, and see it applied.
  await serviceClient(system.urls.scm).post('/warehouses', { id: warehouseId, name: 'Warehouse created by the operator' });
  const replayed = await cli(['dlq', 'replay', PO_CONNECTOR, letter.id, '--reason', 'warehouse created'], 'operator');
  expect(replayed.code).toBe(0);
  expect(replayed.stdout).toMatch(new RegExp(`${letter.id}\\s+replayed now`));
  const receipts = await eventually(async () => {
    const found = await serviceClient(system.urls.scm).get<ExpectedReceipt[]>(`/expected-receipts?sku=${sku}`);
    return found.length > 0 ? found : undefined;
  }, 120_000, 'the expected receipt of the replayed purchase order');
  expect(receipts).toEqual([expect.objectContaining({ purchaseOrderNumber: po.purchaseOrderNumber, warehouseId, quantity: 12 })]);

  // A second replay is refused by the claim: nothing is sent again.
  const again = await cli(['dlq', 'replay', PO_CONNECTOR, letter.id], 'operator');
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(new RegExp(`${letter.id}\\s+already replayed before \\(skipped\\)`));
  const status = await json<ConnectorStatusView>(['connectors', 'status', PO_CONNECTOR], 'viewer');
  expect(status.workers.reduce((sum, worker) => sum + worker.stats.deadLettered, 0)).toBe(1);
  expect(await serviceClient(system.urls.scm).get<ExpectedReceipt[]>(`/expected-receipts?sku=${sku}`)).toHaveLength(1);
  expect((await json<{ letters: DeadLetterSummary[] }>(['dlq', 'list', '--connector', PO_CONNECTOR, '--status', 'all'], 'viewer')).letters).toEqual([
    expect.objectContaining({ id: letter.id, status: 'replayed', mark: expect.objectContaining({ by: 'test-operator', reason: 'warehouse created' }) }),
  ]);

  const { entries } = await json<AuditPage>(['audit', '--limit', '10'], 'viewer');
  const replays = entries.filter((entry) => entry.action === 'dead-letter.replay');
  expect(replays.map((entry) => [entry.actor, entry.outcome, entry.reason, entry.detail?.replayed, entry.detail?.['already-replayed']])).toEqual([
    ['test-operator', 'ok', null, 0, 1],
    ['test-operator', 'ok', 'warehouse created', 1, 0],
  ]);
  const table = await cli(['audit'], 'viewer');
  expect(table.stdout).toMatch(new RegExp(`test-operator\\s+operator\\s+dead-letter\\.replay\\s+${PO_CONNECTOR} ${letter.id}\\s+ok\\s+warehouse created`));
}));

it('masks a customer\'s personal data in a dead letter for a viewer, and shows it to an operator', rig.diagnosed(async ({ bus }) => {
  const customer = { ...EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'], customerId: `C-CLI-${Date.now().toString(36)}`, email: 'private.person@example.org', billingAddress: { ...EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'].billingAddress, country: 'ZZ' }, shippingAddress: null };
  await bus.publish('switchboard.crm.CustomerCreated', customer.customerId, customer);
  const letter = await eventually(async () => {
    const { letters } = await json<{ letters: DeadLetterSummary[] }>(['dlq', 'list', '--connector', CUSTOMER_CONNECTOR], 'viewer');
    return letters.find((candidate) => candidate.key === customer.customerId);
  }, 120_000, 'the dead letter of the customer with a bad country');

  const viewer = await cli(['dlq', 'show', CUSTOMER_CONNECTOR, letter.id, '--json'], 'viewer');
  const masked = JSON.parse(viewer.stdout) as DeadLetterDetail;
  expect(masked).toMatchObject({ masked: true, payload: { eventType: 'switchboard.crm.CustomerCreated', value: { customerId: customer.customerId, name: '***', email: '***', phone: '***', billingAddress: { line1: '***', city: '***', postalCode: '***', country: 'ZZ' } } } });
  for (const personal of [customer.email, customer.name, customer.billingAddress.line1]) expect(viewer.stdout).not.toContain(personal);

  const operator = JSON.parse((await cli(['dlq', 'show', CUSTOMER_CONNECTOR, letter.id, '--json'], 'operator')).stdout) as DeadLetterDetail;
  expect(operator).toMatchObject({ masked: false, payload: { value: { email: customer.email, name: customer.name, billingAddress: customer.billingAddress } } });
}));

it('exits 3 for what does not exist and 4 without a token or with a role too weak, and prints tables of the connectors', rig.diagnosed(async () => {
  const missing = await cli(['dlq', 'show', PO_CONNECTOR, '0:999999'], 'viewer');
  expect([missing.code, missing.stderr]).toEqual([3, expect.stringContaining('SWB_ERR_ADMIN_DEAD_LETTER_NOT_FOUND')]);
  expect((await cli(['connectors', 'status', 'no-such-connector'], 'viewer')).code).toBe(3);
  const anonymous = await cli(['connectors', 'pause', PO_CONNECTOR], 'none');
  expect([anonymous.code, anonymous.stderr]).toEqual([4, expect.stringContaining('SWB_ERR_ADMIN_UNAUTHORIZED')]);
  const viewer = await cli(['connectors', 'pause', PO_CONNECTOR, '--reason', 'not mine to do'], 'viewer');
  expect([viewer.code, viewer.stderr]).toEqual([4, expect.stringContaining('SWB_ERR_ADMIN_FORBIDDEN')]);
  expect((await cli(['tokens', 'list'], 'operator')).code).toBe(4);

  const table = await cli(['connectors', 'status'], 'viewer');
  expect(table.code).toBe(0);
  expect(table.stdout).toMatch(/^CONNECTOR\s+DESIRED\s+STATUS\s+LAG\s+CONSUMED\/S\s+APPLIED\/S\s+WORKERS\s+LAST ERROR$/m);
  expect(table.stdout).toMatch(new RegExp(`^${PO_CONNECTOR}\\s+running\\s+(OK|WARN|ERR)\\s+\\d+`, 'm'));
  const { entries } = await json<AuditPage>(['audit', '--limit', '5'], 'viewer');
  expect(entries[0]).toMatchObject({ actor: 'test-viewer', action: 'connector.pause', outcome: 'failed', code: 'SWB_ERR_ADMIN_FORBIDDEN' });
}));
