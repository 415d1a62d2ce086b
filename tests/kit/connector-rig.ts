/**
 * The set-up every connector integration test shares: its target service in-process, a
 * KitStack (own topic prefix, registry, Redis state) whose target URL is that service, and one
 * worker of the connector under test, all stopped after the file's tests.
 */
import type { ConnectorWorker } from '../../hub/runtime/connector-worker.js';
import type { ConnectorDefinition } from '../../hub/sdk/index.js';
import { startKitStack, type KitStack } from '../kit/kit-stack.js';
import { startServiceInProcess, type InProcessService } from './in-process-service.js';
import type { SystemName } from '../../catalogue/index.js';

/** What {@link useConnectorRig} started; read it inside tests and hooks, not at collection time. */
export interface ConnectorRig<N extends SystemName> {
  /** The target service (app, db, outbox, url). */
  readonly service: InProcessService<N>;
  /** The target service's base URL. */
  readonly url: string;
  readonly stack: KitStack;
  /** The worker of the connector under test. */
  readonly worker: ConnectorWorker;
}

/**
 * Registers a `beforeAll` that starts `target` in-process, a KitStack labelled `label` pointing
 * at it, and a worker of `connector`; and an `afterAll` that stops them (workers first). A
 * `beforeAll` declared after this call runs after the rig is up, so it can seed the target.
 *
 * @example
 * ```ts
 * describe('crm-customer-to-erp against the real ERP', () => {
 *   const rig = useConnectorRig('erp', connector, 'c1');
 *   it('opens an account', async () => {
 *     await rig.stack.publish('switchboard.crm.CustomerCreated', created.customerId, created);
 *     await eventually(async () => ((await getJson(rig.url, '/accounts/C-1017')).status === 200 ? true : undefined));
 *   });
 * });
 * ```
 */
export function useConnectorRig<N extends SystemName>(target: N, connector: ConnectorDefinition, label: string): ConnectorRig<N> {
  let service: InProcessService<N> | undefined;
  let stack: KitStack | undefined;
  let worker: ConnectorWorker | undefined;

  beforeAll(async () => {
    service = await startServiceInProcess(target);
    stack = await startKitStack({ label, systemUrls: { [target]: service.url } });
    worker = await stack.startWorker(connector);
  });
  afterAll(async () => {
    await stack?.close();
    await service?.stop();
  });

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the connector rig's ${what} is not started: use it inside tests and hooks`);
    return value;
  };
  return {
    get service() { return started(service, 'service'); },
    get url() { return started(service, 'service').url; },
    get stack() { return started(stack, 'stack'); },
    get worker() { return started(worker, 'worker'); },
  };
}
