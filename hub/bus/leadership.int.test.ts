import { eventually, uniquePrefix } from '../../tests/kit/isolation.js';
import { createLogger } from '../log/logger.js';
import { Bus } from './bus.js';
import { loadBusConfig } from './bus-config.js';
import type { Leadership } from './leadership.js';

const logger = createLogger('leadership-test', { level: 'warn' });
const bus = new Bus(loadBusConfig(), logger, 'leadership-test');
const admin = bus.admin();
const prefix = uniquePrefix('lead');
const topic = `${prefix}election`;
const members: Leadership[] = [];

function member(metadata: string): Leadership {
  // A long session timeout, to show that a graceful stop does not wait for it.
  const leadership = bus.leadership({ groupId: `${prefix}group`, topic, metadata, logger, sessionTimeoutMs: 30_000 });
  members.push(leadership);
  return leadership;
}

beforeAll(() => admin.connect());
afterAll(async () => {
  await Promise.all(members.map((m) => m.stop()));
  await admin.delete([topic]).catch(() => undefined);
  await admin.close();
});

describe('bus.leadership', () => {
  it('elects exactly one leader, tells the others its metadata, keeps it when members join, and hands over when it leaves', async () => {
    const first = member('first');
    await first.start();
    expect(first.current()).toMatchObject({ isLeader: true, leader: { metadata: 'first' } });

    // The leadership is sticky: a joining member follows and learns the leader's metadata.
    const second = member('second');
    await second.start();
    await eventually(() => (second.current().leader?.metadata === 'first' ? true : undefined), 15000, 'the second member to learn the leader');
    expect(second.current().isLeader).toBe(false);
    expect(first.current().isLeader).toBe(true);

    // A graceful stop leaves the group: the other member takes over within a rebalance, not a session timeout.
    const termBefore = second.current().term;
    const stoppedAt = Date.now();
    await first.stop();
    expect(first.current()).toMatchObject({ isLeader: false, leader: undefined });
    await eventually(() => (second.current().isLeader ? true : undefined), 15000, 'the second member to lead');
    expect(Date.now() - stoppedAt).toBeLessThan(15_000);
    expect(second.current()).toMatchObject({ isLeader: true, leader: { metadata: 'second' } });
    expect(second.current().term).toBeGreaterThan(termBefore);
  });
});
