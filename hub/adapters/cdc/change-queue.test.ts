import { ChangeQueue } from './change-queue.js';
import type { ChangeRecord } from './change-record.js';

const change = (key: string) => ({ kind: 'change' as const, record: { key } as ChangeRecord });

describe('the change queue', () => {
  it('takes changes in order with the marks among them, so a commit is reached only after its changes', () => {
    const queue = new ChangeQueue();
    const reached: string[] = [];
    queue.push(change('a'));
    queue.push(change('b'));
    queue.push({ kind: 'mark', reached: () => void reached.push('commit 1') });
    queue.push(change('c'));
    queue.push({ kind: 'mark', reached: () => void reached.push('commit 2') });
    const first = queue.take(2);
    expect(first.records.map((r) => r.key)).toEqual(['a', 'b']);
    // The commit right after the last change taken belongs to this batch.
    expect(first.marks).toHaveLength(1);
    const second = queue.take(2);
    expect(second.records.map((r) => r.key)).toEqual(['c']);
    for (const mark of [...first.marks, ...second.marks]) void mark();
    expect(reached).toEqual(['commit 1', 'commit 2']);
    expect(queue.empty).toBe(true);
  });

  it('holds the reader back at the high water mark until the publisher brings it to the low one', async () => {
    const queue = new ChangeQueue({ highWater: 4, lowWater: 1 });
    for (const key of ['a', 'b', 'c', 'd']) queue.push(change(key));
    let free = false;
    const room = queue.room().then(() => {
      free = true;
    });
    queue.take(2);
    await Promise.resolve();
    expect(free).toBe(false);
    queue.take(1);
    await room;
    expect(free).toBe(true);
  });

  it('wakes a waiting publisher when something arrives, and clears everything on a lost connection', async () => {
    const queue = new ChangeQueue();
    const waiting = queue.whenNotEmpty(new AbortController().signal);
    queue.push(change('a'));
    await waiting;
    queue.clear();
    expect(queue.size).toBe(0);
    expect(queue.take(10).records).toEqual([]);
  });
});
