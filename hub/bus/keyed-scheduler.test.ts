import { KeyedScheduler } from './keyed-scheduler.js';
import { OffsetTracker } from './offset-tracker.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KeyedScheduler', () => {
  it('keeps one key in order and runs different keys in parallel, within the limit', async () => {
    const scheduler = new KeyedScheduler(3);
    const log: string[] = [];
    let running = 0;
    let peak = 0;
    const job = (name: string, ms: number) => async () => {
      running++;
      peak = Math.max(peak, running);
      await tick(ms);
      log.push(name);
      running--;
    };
    void scheduler.run('a', job('a1', 30));
    void scheduler.run('a', job('a2', 1));
    void scheduler.run('b', job('b1', 5));
    void scheduler.run('c', job('c1', 5));
    void scheduler.run('d', job('d1', 5));
    void scheduler.run('a', job('a3', 1));
    await scheduler.idle();
    expect(log.filter((n) => n.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    expect(log.indexOf('b1')).toBeLessThan(log.indexOf('a1'));
    expect(peak).toBe(3);
  });

  it('does not start the later jobs of a key after one failed (they are redelivered behind it), while other keys go on', async () => {
    const scheduler = new KeyedScheduler(1);
    const ran: string[] = [];
    const failed = scheduler.run('k', async () => {
      throw new Error('boom');
    });
    const next = scheduler.run('k', async () => void ran.push('k2'));
    const other = scheduler.run('o', async () => void ran.push('o1'));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toEqual({ started: false });
    await expect(other).resolves.toEqual({ started: true });
    expect(ran).toEqual(['o1']);
    // A key whose chain drained starts afresh.
    await scheduler.idle();
    await expect(scheduler.run('k', async () => void ran.push('k3'))).resolves.toEqual({ started: true });
  });

  it('does not start queued jobs once told to stop', async () => {
    let stop = false;
    const scheduler = new KeyedScheduler(1, () => !stop);
    const first = scheduler.run('a', async () => {
      stop = true;
      await tick(5);
    });
    const second = scheduler.run('b', async () => undefined);
    await expect(first).resolves.toEqual({ started: true });
    await expect(second).resolves.toEqual({ started: false });
  });
});

describe('OffsetTracker', () => {
  it('commits only the completed prefix', () => {
    const tracker = new OffsetTracker(['10', '11', '12', '13']);
    expect(tracker.committable()).toBeUndefined();
    tracker.complete('12');
    expect(tracker.committable()).toBeUndefined();
    tracker.complete('10');
    expect(tracker.committable()).toBe('11');
    tracker.complete('11');
    expect(tracker.committable()).toBe('13');
    expect(tracker.lastContiguous()).toBe('12');
    tracker.complete('13');
    expect(tracker.allDone).toBe(true);
    expect(tracker.committable()).toBe('14');
  });
});
