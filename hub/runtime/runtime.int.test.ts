import { startKitStack, type KitStack } from '../../tests/kit/kit-stack.js';
import { RecordingTarget } from '../../tests/kit/recording-target.js';
import { dependentTestConnector, httpTestConnector, orderPlaced, topicTestConnector } from '../../tests/kit/test-connectors.js';
import { eventually } from '../../tests/kit/isolation.js';
import { committedToEnd } from '../../tests/kit/worker-state.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { defineConnector } from '../sdk/index.js';
import { readWorkerStatuses } from './status.js';

/** Sequence numbers applied for `order` by `connector` (every test's workers read the same source topic). */
const seqsOf = (target: RecordingTarget, order: string, connector: string) =>
  target.effectsOn(`/orders/${order}/`).filter((call) => call.idempotencyKey?.startsWith(`${connector}:`)).map((call) => (call.body as { seq: number }).seq);

describe('connector runtime on the real stack', () => {
  let stack: KitStack;
  let target: RecordingTarget;

  beforeAll(async () => {
    target = await RecordingTarget.start();
    stack = await startKitStack({ label: 'rt', systemUrls: { erp: target.url } });
  });
  afterAll(async () => {
    await stack?.close();
    await target?.close();
  });

  it('delivers HTTP actions with the idempotency key and trace headers, in order per key', async () => {
    const worker = await stack.startWorker(httpTestConnector('rt-http'));
    for (let seq = 1; seq <= 5; seq++) {
      for (const order of ['O-1', 'O-2', 'O-3']) await stack.publish('switchboard.crm.OrderPlaced', order, orderPlaced(order, seq));
    }
    await eventually(() => (target.effectsOn('/orders/O-').filter((c) => c.idempotencyKey?.startsWith('rt-http:')).length >= 15 ? true : undefined), 30000, '15 calls');
    for (const order of ['O-1', 'O-2', 'O-3']) expect(seqsOf(target, order, 'rt-http')).toEqual([1, 2, 3, 4, 5]);
    const [call] = target.effectsOn('/orders/O-1/').filter((c) => c.idempotencyKey?.startsWith('rt-http:'));
    expect(call.idempotencyKey).toMatch(/^rt-http:[0-9a-f-]{36}$/);
    expect(call.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    expect(call.correlationId).toBeDefined();
    await eventually(async () => ((await stack.services.xref.get('order', 'crm', 'O-1', 'erp'))?.startsWith('T-') ? true : undefined), 10000, 'order xref');
    await worker.stop();
  });

  it('produces events topic to topic with causation and correlation', async () => {
    const collector = await stack.collect('switchboard.erp.CustomerAccountOpened');
    const worker = await stack.startWorker(topicTestConnector('rt-topic'));
    const cause = await stack.publish('switchboard.crm.CustomerCreated', 'C-77', { ...EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'], customerId: 'C-77' }, { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
    const [opened] = await eventually(() => (collector.events.length > 0 ? collector.events : undefined), 30000, 'account opened');
    expect(opened.key).toBe('C-77');
    expect(opened.metadata.causationId).toBe(cause.id);
    expect(opened.metadata.correlationId).toBe(cause.correlationId);
    expect(opened.metadata.type).toBe('erp.customer-account.CustomerAccountOpened');
    // Same trace, one hop on: the produced event carries the connector's process span, its only span for the event.
    const [, openedTrace, openedSpan] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(opened.metadata.traceparent ?? '') ?? [];
    expect(openedTrace).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(openedSpan).toMatch(/^[0-9a-f]{16}$/);
    expect(openedSpan).not.toBe('00f067aa0ba902b7');
    expect((opened.value as { accountNumber: string }).accountNumber).toBe('A-C-77');
    await eventually(async () => ((await stack.services.xref.get('customer', 'erp', 'A-C-77', 'crm')) === 'C-77' ? true : undefined), 10000, 'xref');
    await worker.stop();
  });

  it('parks a stuck key in the retry topic, keeps its later events behind it, and lets other keys flow', async () => {
    target.failNext(8, 503, '/orders/P-1/');
    const worker = await stack.startWorker(httpTestConnector('rt-park'));
    for (let seq = 1; seq <= 3; seq++) {
      await stack.publish('switchboard.crm.OrderPlaced', 'P-1', orderPlaced('P-1', seq));
      await stack.publish('switchboard.crm.OrderPlaced', 'Q-1', orderPlaced('Q-1', seq));
    }
    await eventually(() => (seqsOf(target, 'Q-1', 'rt-park').length === 3 ? true : undefined), 30000, 'Q-1 applied');
    expect(seqsOf(target, 'P-1', 'rt-park').length).toBeLessThan(3);
    await eventually(() => (seqsOf(target, 'P-1', 'rt-park').length === 3 ? true : undefined), 45000, 'P-1 applied after the outage');
    expect(seqsOf(target, 'P-1', 'rt-park')).toEqual([1, 2, 3]);
    expect(worker.stats.parked).toBeGreaterThanOrEqual(3);
    expect(worker.stats.deadLettered).toBe(0);
    await worker.stop();
  });

  it('dead-letters a 4xx and a mapping bug at once, and a replayed dead letter is applied once', async () => {
    const buggy = defineConnector({
      name: 'rt-bug',
      description: 'test: a mapping with a bug for one key',
      source: { topics: ['crm.order.v1'], eventTypes: ['switchboard.crm.OrderPlaced'] },
      target: { system: 'erp' },
      // Only B-1 concerns this connector: were it to call the target for R-1 too, it could
      // take the one scripted 422 meant for rt-reject.
      map: (event) => {
        if (event.key !== 'B-1') return [];
        return (undefined as unknown as { x: [] }).x;
      },
    });
    target.failNext(1, 422, '/orders/R-1/');
    const rejectedWorker = await stack.startWorker(httpTestConnector('rt-reject'));
    const bugWorker = await stack.startWorker(buggy);
    await stack.publish('switchboard.crm.OrderPlaced', 'R-1', orderPlaced('R-1', 1));
    await stack.publish('switchboard.crm.OrderPlaced', 'B-1', orderPlaced('B-1', 1));
    const [rejected] = await eventually(async () => {
      const list = await stack.deadLetters.list('rt-reject');
      return list.some((l) => l.key === 'R-1') ? list.filter((l) => l.key === 'R-1') : undefined;
    }, 30000, 'R-1 dead-lettered');
    expect(rejected).toMatchObject({ errorCode: 'SWB_ERR_RUNTIME_TARGET_REJECTED', attempts: 1, status: 'open' });
    expect(rejected.errorMessage).toContain('422');
    const bugs = await eventually(async () => {
      const list = (await stack.deadLetters.list('rt-bug')).filter((l) => l.key === 'B-1');
      return list.length > 0 ? list : undefined;
    }, 30000, 'B-1 dead-lettered');
    expect(bugs[0]).toMatchObject({ errorCode: 'SWB_ERR_RUNTIME_MAPPING_BUG', attempts: 1 });
    expect(bugWorker.stats.retried).toBe(0);

    expect(seqsOf(target, 'R-1', 'rt-reject')).toEqual([]);
    await stack.deadLetters.replay('rt-reject', rejected.id);
    await eventually(() => (seqsOf(target, 'R-1', 'rt-reject').length === 1 ? true : undefined), 30000, 'replayed R-1 applied');
    expect((await stack.deadLetters.list('rt-reject')).find((l) => l.id === rejected.id)?.status).toBe('replayed');
    await stack.deadLetters.discard('rt-bug', bugs[0].id);
    expect((await stack.deadLetters.list('rt-bug'))[0].status).toBe('discarded');
    // The replayed record is settled (its retry group committed past it): applied once, with its original sequence.
    await committedToEnd(stack.bus, rejectedWorker.groups.retry, [rejectedWorker.topics.retry]);
    expect(seqsOf(target, 'R-1', 'rt-reject')).toEqual([1]);
    await Promise.all([rejectedWorker.stop(), bugWorker.stop()]);
  });

  it('retries an order whose customer account does not exist yet, and applies it once it does', async () => {
    const worker = await stack.startWorker(dependentTestConnector('rt-dep'));
    await stack.publish('switchboard.crm.OrderPlaced', 'D-1', orderPlaced('D-1', 1, 'C-DEP'));
    await eventually(() => (worker.stats.parked > 0 ? true : undefined), 30000, 'order parked');
    expect(target.effectsOn('/sales-orders').filter((c) => (c.body as { orderId: string }).orderId === 'D-1')).toEqual([]);
    await stack.services.xref.put('customer', { crm: 'C-DEP', erp: 'A-DEP' });
    const [call] = await eventually(() => {
      const calls = target.effectsOn('/sales-orders').filter((c) => (c.body as { orderId: string }).orderId === 'D-1');
      return calls.length > 0 ? calls : undefined;
    }, 30000, 'order applied after the account');
    expect(call.body).toEqual({ account: 'A-DEP', orderId: 'D-1' });
    expect(worker.stats.deadLettered).toBe(0);
    await worker.stop();
  });

  it('pauses and resumes every worker through the control channel; a worker started later starts paused', async () => {
    const connector = httpTestConnector('rt-ctl');
    const first = await stack.startWorker(connector);
    await stack.publish('switchboard.crm.OrderPlaced', 'CT-1', orderPlaced('CT-1', 1));
    await eventually(() => (seqsOf(target, 'CT-1', 'rt-ctl').length === 1 ? true : undefined), 30000, 'first applied');
    const lagNow = async () => (await readWorkerStatuses(stack.redis, stack.prefix, 'rt-ctl')).flatMap((s) => s.lag);
    // The new group read the topic from its start; let it catch up before pausing.
    await eventually(async () => {
      const lags = await lagNow();
      return lags.length === 6 && lags.every((l) => l.lag === 0) ? true : undefined;
    }, 15000, 'caught up before the pause');
    await stack.control.pause('rt-ctl');
    await eventually(() => (first.status().state === 'paused' ? true : undefined), 10000, 'paused');
    const second = await stack.startWorker(connector);
    expect(second.status().state).toBe('paused');
    // Both paused workers report lag for all six partitions between them, caught up.
    const before = await eventually(async () => {
      const lags = await lagNow();
      return lags.length === 6 && lags.every((l) => l.lag === 0) ? lags : undefined;
    }, 15000, 'six partitions caught up while paused');
    const endsBefore = new Map(before.map((l) => [`${l.topic}:${l.partition}`, BigInt(l.end)]));
    await stack.publish('switchboard.crm.OrderPlaced', 'CT-1', orderPlaced('CT-1', 2));
    // The paused workers report the new record as uncommitted lag on its partition: seen, not applied.
    await eventually(async () => {
      const grown = (await lagNow()).filter((l) => BigInt(l.end) > (endsBefore.get(`${l.topic}:${l.partition}`) ?? BigInt(l.end)));
      return grown.length === 1 && BigInt(grown[0].committed) < BigInt(grown[0].end) ? true : undefined;
    }, 15000, 'the new record as lag while paused');
    expect(seqsOf(target, 'CT-1', 'rt-ctl')).toEqual([1]);
    await stack.control.resume('rt-ctl');
    await eventually(() => (seqsOf(target, 'CT-1', 'rt-ctl').length === 2 ? true : undefined), 30000, 'applied after resume');
    expect(first.status().state).toBe('running');
    const statuses = await eventually(async () => {
      const list = await readWorkerStatuses(stack.redis, stack.prefix, 'rt-ctl');
      return list.length === 2 && list.every((s) => s.state === 'running') ? list : undefined;
    }, 15000, 'two statuses');
    const partitions = statuses.flatMap((s) => Object.values(s.assignment).flat());
    expect(partitions.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    // Lag per assigned partition: end offsets against the group's commits, zero once caught up.
    await eventually(async () => {
      const lags = (await readWorkerStatuses(stack.redis, stack.prefix, 'rt-ctl')).flatMap((s) => s.lag);
      return lags.length === 6 && lags.every((l) => l.lag === 0) ? true : undefined;
    }, 15000, 'lag 0 on six partitions');
    await Promise.all([first.stop(), second.stop()]);
    expect(await readWorkerStatuses(stack.redis, stack.prefix, 'rt-ctl')).toEqual([]);
  });

  it('resets a connector to a timestamp: later events are delivered again and deduplicated', async () => {
    const connector = httpTestConnector('rt-reset');
    const worker = await stack.startWorker(connector);
    const before = Date.now();
    await stack.publish('switchboard.crm.OrderPlaced', 'RS-1', orderPlaced('RS-1', 1));
    await stack.publish('switchboard.crm.OrderPlaced', 'RS-1', orderPlaced('RS-1', 2));
    await eventually(() => (seqsOf(target, 'RS-1', 'rt-reset').length === 2 ? true : undefined), 30000, 'applied');
    const skippedBefore = worker.stats.skipped;
    await stack.control.resetToTimestamp('rt-reset', before, worker.topics.sources, worker.groups.main, 30000);
    await eventually(() => (worker.stats.skipped >= skippedBefore + 2 && worker.status().state === 'running' ? true : undefined), 30000, 'redelivered');
    expect(seqsOf(target, 'RS-1', 'rt-reset')).toEqual([1, 2]);
    await worker.stop();
  });

  it('two workers share the partitions; one crashes mid-stream; every effect happens exactly once', async () => {
    const connector = httpTestConnector('rt-crash');
    target.setDelay(15);
    const a = await stack.startWorker(connector, { sessionTimeoutMs: 10000 });
    const b = await stack.startWorker(connector, { sessionTimeoutMs: 10000 });
    const crashEffects = () => target.effectsOn('/orders/X-').filter((c) => c.idempotencyKey?.startsWith('rt-crash:'));
    const keys = Array.from({ length: 30 }, (_, i) => `X-${i}`);
    const publishing = (async () => {
      for (let seq = 1; seq <= 8; seq++) for (const key of keys) await stack.publish('switchboard.crm.OrderPlaced', key, orderPlaced(key, seq));
    })();
    await eventually(() => (crashEffects().length >= 40 ? true : undefined), 30000, 'some effects');
    await a.crash();
    await publishing;
    await eventually(() => (crashEffects().length >= 240 ? true : undefined), 60000, 'all 240 effects');
    // Every record committed by the surviving worker: nothing left in flight, so the count is final.
    await committedToEnd(stack.bus, b.groups.main, b.topics.sources);
    const effects = crashEffects();
    expect(effects).toHaveLength(240);
    expect(new Set(effects.map((c) => c.idempotencyKey)).size).toBe(240);
    for (const key of keys) expect(seqsOf(target, key, 'rt-crash')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(a.stats.delivered).toBeGreaterThan(0);
    expect(b.stats.delivered).toBeGreaterThan(0);
    target.setDelay(0);
    await b.stop();
  });
});
