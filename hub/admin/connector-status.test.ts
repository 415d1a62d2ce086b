import type { WorkerStatus } from '../runtime/status.js';
import type { AdminConnector } from './admin-connectors.js';
import type { OffsetSample } from './burrow.js';
import { connectorStatusView } from './connector-status.js';

const connector: AdminConnector = {
  name: 'crm-order-to-erp',
  description: 'orders to the ERP',
  target: 'erp',
  sources: ['crm.order.v1'],
  eventTypes: ['switchboard.crm.OrderPlaced'],
  groups: { main: 'switchboard.connector.crm-order-to-erp', retry: 'switchboard.connector.crm-order-to-erp.retry' },
  retryTopic: 'switchboard.retry.crm-order-to-erp',
  deadLetterTopic: 'switchboard.dlq.crm-order-to-erp',
};

const samples = (points: readonly [number, number][], members = 1): OffsetSample[] =>
  points.map(([committed, end], i) => ({ at: i * 1000, committed: BigInt(committed), end: BigInt(end), lag: end - committed, members }));

function worker(id: string, partitions: number[], lastError?: { code: string; message: string; at: string }): WorkerStatus {
  return {
    connector: connector.name, workerId: id, host: 'h', pid: 1, state: 'running', startedAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:01:00.000Z',
    assignment: { 'crm.order.v1': partitions },
    lag: partitions.map((partition) => ({ topic: 'crm.order.v1', partition, committed: '0', end: '2', lag: 2 })),
    stats: { consumed: 10, delivered: 9, skipped: 0, retried: 1, parked: 0, deadLettered: 1, ...(lastError ? { lastError } : {}) },
  };
}

describe('a connector\'s status', () => {
  it('joins the Burrow evaluation of each partition, its owner, the workers, their rates and the latest error', () => {
    const view = connectorStatusView(connector, {
      partitions: [
        { topic: 'crm.order.v1', partition: 0, samples: samples([[5, 5], [5, 6], [6, 7]]) },
        { topic: 'crm.order.v1', partition: 1, samples: samples([[1, 3], [1, 5], [1, 7]]) },
      ],
      members: 2,
      workers: [
        { status: worker('w1', [0], { code: 'SWB_ERR_RUNTIME_TARGET_REJECTED', message: 'old', at: '2024-01-01T00:00:10.000Z' }), rates: { consumedPerSecond: 2, appliedPerSecond: 1.5 } },
        { status: worker('w2', [1], { code: 'SWB_ERR_RUNTIME_MAPPING', message: 'new', at: '2024-01-01T00:00:20.000Z' }), rates: { consumedPerSecond: 1, appliedPerSecond: 1 } },
      ],
      sampledAt: Date.parse('2024-01-01T00:01:00.000Z'),
    }, { state: 'paused', updatedAt: '2024-01-01T00:00:00.000Z' }, { size: 3, intervalMs: 1000 });

    expect(view).toMatchObject({
      name: 'crm-order-to-erp',
      desiredState: 'paused',
      status: 'WARN',
      lag: 7,
      rates: { consumedPerSecond: 3, appliedPerSecond: 2.5 },
      lastError: { code: 'SWB_ERR_RUNTIME_MAPPING', message: 'new' },
      groupMembers: 2,
      window: { samples: 3, size: 3, intervalMs: 1000, complete: true },
      sampledAt: '2024-01-01T00:01:00.000Z',
    });
    expect(view.partitions).toEqual([
      { topic: 'crm.order.v1', partition: 0, committed: '6', end: '7', lag: 1, status: 'OK', worker: 'w1' },
      { topic: 'crm.order.v1', partition: 1, committed: '1', end: '7', lag: 6, status: 'WARN', worker: 'w2' },
    ]);
    expect(view.workers.map((w) => [w.workerId, w.lag, w.stats.deadLettered, w.lastError?.message])).toEqual([['w1', 2, 1, 'old'], ['w2', 2, 1, 'new']]);
  });

  it('says STALL for a partition whose worker reports an event past its stall deadline, before the window fills', () => {
    const stuck: WorkerStatus = {
      ...worker('w1', [0, 1]),
      state: 'stalled',
      stalled: [{ key: 'O-7', topic: 'crm.order.v1', partition: 1, offset: '41', eventId: 'e-7', stage: 'calling target', stageMs: 75_000 }],
    };
    const view = connectorStatusView(connector, {
      partitions: [
        { topic: 'crm.order.v1', partition: 0, samples: samples([[3, 4]]) },
        { topic: 'crm.order.v1', partition: 1, samples: samples([[40, 42]]) },
      ],
      members: 1,
      workers: [{ status: stuck, rates: { consumedPerSecond: 0, appliedPerSecond: 0 } }],
      sampledAt: 1000,
    }, undefined, { size: 10, intervalMs: 5000 });
    expect(view.partitions.map((p) => [p.partition, p.status])).toEqual([[0, 'OK'], [1, 'STALL']]);
    expect(view.status).toBe('ERR');
    expect(view.workers[0].state).toBe('stalled');
  });

  it('is OK, running and without partitions before the first sample', () => {
    expect(connectorStatusView(connector, { partitions: [], members: 0, workers: [], sampledAt: undefined }, undefined, { size: 10, intervalMs: 5000 })).toMatchObject({
      status: 'OK', desiredState: 'running', lag: 0, partitions: [], workers: [], lastError: null, sampledAt: null, window: { samples: 0, complete: false },
    });
  });
});
