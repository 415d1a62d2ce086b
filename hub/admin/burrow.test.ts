import { connectorStatusOf, evaluatePartition, type OffsetSample } from './burrow.js';

const SIZE = 5;

/** Samples 5 s apart from (committed, end, members) triples. */
function window(...points: readonly (readonly [committed: number, end: number, members?: number])[]): OffsetSample[] {
  return points.map(([committed, end, members = 1], i) => ({
    at: i * 5000,
    committed: BigInt(committed),
    end: BigInt(end),
    lag: end - Math.max(committed, 0),
    members,
  }));
}

describe('Burrow evaluation of one partition', () => {
  it('is OK when the current lag is zero, whatever came before', () => {
    expect(evaluatePartition(window([10, 20, 0], [10, 25, 0], [10, 30, 0], [10, 35, 0], [40, 40, 0]), SIZE).status).toBe('OK');
  });

  it('is OK while the committed offset progresses, even with lag', () => {
    expect(evaluatePartition(window([10, 30], [14, 32], [18, 35], [22, 37], [26, 40]), SIZE)).toEqual({ status: 'OK', complete: true });
  });

  it('is STOP when nothing was committed over a full window, lag > 0, and the group has no member', () => {
    expect(evaluatePartition(window([10, 20, 0], [10, 21, 0], [10, 22, 0], [10, 22, 0], [10, 22, 0]), SIZE)).toEqual({ status: 'STOP', complete: true });
  });

  it('is STOP also for a group that never committed (-1) and has no member', () => {
    expect(evaluatePartition(window([-1, 3, 0], [-1, 3, 0], [-1, 3, 0], [-1, 3, 0], [-1, 3, 0]), SIZE).status).toBe('STOP');
  });

  it('is STOP before the zero-lag rule: a group that caught up, then stopped while events arrive', () => {
    expect(evaluatePartition(window([10, 10, 0], [10, 11, 0], [10, 12, 0], [10, 13, 0], [10, 14, 0]), SIZE).status).toBe('STOP');
  });

  it('is OK when lag was zero somewhere in the window (caught up recently) and members are alive', () => {
    expect(evaluatePartition(window([10, 10], [10, 11], [10, 12], [10, 13], [10, 14]), SIZE).status).toBe('OK');
  });

  it('is REWIND when the committed offset went backwards', () => {
    expect(evaluatePartition(window([30, 40], [32, 40], [5, 41], [9, 42], [12, 43]), SIZE).status).toBe('REWIND');
    expect(evaluatePartition(window([30, 40], [5, 41]), SIZE)).toEqual({ status: 'REWIND', complete: false });
  });

  it('is WARN when the lag grew in every sample of a full window (a paused or too slow consumer)', () => {
    expect(evaluatePartition(window([10, 12], [10, 14], [10, 17], [10, 19], [10, 25]), SIZE).status).toBe('WARN');
    expect(evaluatePartition(window([10, 12], [11, 14], [12, 17], [13, 19], [14, 25]), SIZE).status).toBe('WARN');
  });

  it('is not WARN when the lag stood still once', () => {
    expect(evaluatePartition(window([10, 12], [11, 14], [12, 14], [13, 19], [14, 25]), SIZE).status).toBe('OK');
  });

  it('is STALL when live members commit nothing over a full window while work waits', () => {
    expect(evaluatePartition(window([10, 20], [10, 20], [10, 21], [10, 21], [10, 21]), SIZE)).toEqual({ status: 'STALL', complete: true });
  });

  it('says nothing but OK or REWIND before the window is full', () => {
    expect(evaluatePartition(window([10, 20, 0], [10, 21, 0], [10, 22, 0]), SIZE)).toEqual({ status: 'OK', complete: false });
    expect(evaluatePartition(window([10, 12], [10, 14], [10, 17]), SIZE)).toEqual({ status: 'OK', complete: false });
    expect(evaluatePartition([], SIZE)).toEqual({ status: 'OK', complete: false });
  });

  it('looks at the last `size` samples only', () => {
    const recovered = window([10, 20, 0], [10, 21, 0], [10, 22, 0], [10, 23, 0], [10, 24, 0], [15, 25], [18, 26], [20, 27], [24, 28], [26, 29]);
    expect(evaluatePartition(recovered.slice(0, SIZE), SIZE).status).toBe('STOP');
    expect(evaluatePartition(recovered, SIZE).status).toBe('OK');
  });
});

describe('Burrow status of a connector', () => {
  it('is the worst of its partitions, with STOP, STALL and REWIND as ERR', () => {
    expect(connectorStatusOf([])).toBe('OK');
    expect(connectorStatusOf(['OK', 'OK'])).toBe('OK');
    expect(connectorStatusOf(['OK', 'WARN'])).toBe('WARN');
    expect(connectorStatusOf(['WARN', 'STOP', 'OK'])).toBe('ERR');
    expect(connectorStatusOf(['STALL'])).toBe('ERR');
    expect(connectorStatusOf(['REWIND', 'WARN'])).toBe('ERR');
  });
});
