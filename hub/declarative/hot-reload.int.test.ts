import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectorWorker } from '../runtime/connector-worker.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { RecordingTarget, eventually, startKitStack, type KitStack } from '../../tests/kit/index.js';
import { loadDeclarativeConnector, watchDeclarativeConnectors, type DeclarativeReloads, type ReloadOutcome } from './index.js';

const created = EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'];

/** A connector file calling `PUT /<version>/<customer id>` on the ERP stand-in. */
const connectorFile = (version: string, options: { method?: string; topics?: string } = {}) => `
name: reload-test
description: hot reload under test
source:
  topics: [${options.topics ?? 'crm.customer.v1'}]
  eventTypes: [switchboard.crm.CustomerCreated]
target: { system: erp }
mapping:
  - actions:
      - http:
          method: ${options.method ?? 'PUT'}
          path: /${version}/{value.customerId}
          body: "{ 'name': value.name }"
`;

describe('a worker reloads a changed declarative connector file without a restart', () => {
  let dir: string;
  let file: string;
  let target: RecordingTarget;
  let stack: KitStack;
  let worker: ConnectorWorker;
  let reloads: DeclarativeReloads;
  const outcomes: ReloadOutcome[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'reload-'));
    file = join(dir, 'connector.yaml');
    writeFileSync(file, connectorFile('v1'));
    target = await RecordingTarget.start();
    stack = await startKitStack({ label: 'reload', systemUrls: { erp: target.url } });
    worker = await stack.startWorker(loadDeclarativeConnector(file));
    reloads = watchDeclarativeConnectors([worker], stack.logger, { settleMs: 50, onOutcome: (outcome) => outcomes.push(outcome) });
  });
  afterAll(async () => {
    reloads?.close();
    await stack?.close();
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Publishes a CustomerCreated for `customerId` and waits until the target applied a call for it; returns that call's path. */
  const applied = async (customerId: string): Promise<string> => {
    await stack.publish('switchboard.crm.CustomerCreated', customerId, { ...created, customerId });
    const call = await eventually(async () => target.effects().find((c) => c.path.endsWith(`/${customerId}`)), 30_000, `the call for ${customerId}`);
    return call.path;
  };
  const nextOutcome = async (count: number): Promise<ReloadOutcome> => eventually(async () => outcomes[count], 30_000, `reload outcome ${count + 1}`);

  it('swaps the mapping on a valid change: later events use it, the event in flight finishes under the old one', async () => {
    expect(await applied('C-1')).toBe('/v1/C-1');

    target.setDelay(1500);
    await stack.publish('switchboard.crm.CustomerCreated', 'C-2', { ...created, customerId: 'C-2' });
    await eventually(async () => (target.inFlight > 0 ? true : undefined), 30_000, 'C-2 in flight');
    writeFileSync(file, connectorFile('v2'));
    expect(await nextOutcome(0)).toEqual({ connector: 'reload-test', file, result: 'reloaded' });
    target.setDelay(0);
    expect((await eventually(async () => target.effects().find((c) => c.path.endsWith('/C-2')), 30_000, 'C-2 applied')).path).toBe('/v1/C-2');

    expect(await applied('C-3')).toBe('/v2/C-3');
    expect(target.effects().map((c) => c.path)).toEqual(['/v1/C-1', '/v1/C-2', '/v2/C-3']);
  });

  it('refuses a broken file with its problems at their lines and keeps the running mapping', async () => {
    writeFileSync(file, connectorFile('v3', { method: 'FETCH' }));
    const refused = await nextOutcome(1);
    expect(refused).toMatchObject({ result: 'refused', problems: [expect.stringMatching(/connector\.yaml:11:19 mapping\[0\]\.actions\[0\]\.http\.method: must be one of/)] });
    expect(await applied('C-4')).toBe('/v2/C-4');
  });

  it('refuses a change of source topics, which needs a restart, and keeps the running mapping', async () => {
    writeFileSync(file, connectorFile('v4', { topics: 'crm.customer.v1, crm.order.v1' }));
    expect(await nextOutcome(2)).toMatchObject({ result: 'refused', problems: [expect.stringContaining('source topics changed; restart the worker')] });
    expect(await applied('C-5')).toBe('/v2/C-5');
    expect(worker.stats).toMatchObject({ deadLettered: 0, parked: 0 });
  });
});
