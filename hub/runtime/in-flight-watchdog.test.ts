import { Writable } from 'node:stream';
import pino from 'pino';
import type { ConsumedRecord } from '../bus/index.js';
import { InFlightWatchdog, type StalledEvent } from './in-flight-watchdog.js';

function record(key: string, offset: string): ConsumedRecord {
  return { topic: 'crm.order.v1', partition: 2, offset, key: Buffer.from(key), value: Buffer.from('x'), headers: { ce_id: `e-${key}` }, timestamp: 0 };
}

/** A logger whose lines land in `lines`, parsed. */
function capture(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done(); } });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** A clock the test moves by hand. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let at = 1_000_000;
  return { now: () => at, advance: (ms) => { at += ms; } };
}

describe('the in-flight watchdog', () => {
  it('reports an event stuck in one stage once, with its key and stage, and clears it when the event settles', async () => {
    const { logger, lines } = capture();
    const stalls: StalledEvent[] = [];
    const counts: number[] = [];
    const clock = manualClock();
    const watchdog = new InFlightWatchdog({ deadlineMs: 40, logger, now: clock.now, onStall: (event) => stalls.push(event), onStalledCount: (count) => counts.push(count) });
    const stuck = record('O-1', '7');
    const moving = record('O-2', '8');
    const stuckWatch = watchdog.track(stuck);
    stuckWatch.stage('calling target');
    const movingWatch = watchdog.track(moving);

    clock.advance(25);
    movingWatch.stage('mapping'); // progress: a new stage starts its own clock
    clock.advance(25);
    watchdog.check();
    watchdog.check(); // a second look reports nothing new
    expect(stalls.map((event) => [event.key, event.stage, event.offset, event.eventId])).toEqual([['O-1', 'calling target', '7', 'e-O-1']]);
    expect(watchdog.stalled().map((event) => event.key)).toEqual(['O-1']);
    expect(counts).toEqual([1]);
    const warnings = lines.filter((line) => line.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ key: 'O-1', stage: 'calling target', topic: 'crm.order.v1', partition: 2, offset: '7', event_id: 'e-O-1' });

    // Stuck again in its next stage: reported again, for that stage.
    movingWatch.end();
    stuckWatch.stage('parking');
    clock.advance(50);
    watchdog.check();
    expect(stalls.map((event) => event.stage)).toEqual(['calling target', 'parking']);

    watchdog.release(stuck);
    expect(watchdog.stalled()).toEqual([]);
    expect(watchdog.size).toBe(0);
    expect(counts.at(-1)).toBe(0);
    expect(lines.some((line) => line.msg === 'a stalled event settled' && line.key === 'O-1')).toBe(true);
  });

  it('reports an event that retries in place for longer than the deadline, although each try moves it through fresh stages', async () => {
    const { logger } = capture();
    const stalls: StalledEvent[] = [];
    const clock = manualClock();
    const watchdog = new InFlightWatchdog({ deadlineMs: 40, logger, now: clock.now, onStall: (event) => stalls.push(event) });
    const watch = watchdog.track(record('O-3', '9'));
    // Kafka refuses every produce: each try fails after 15 ms and the event waits, then tries again.
    for (let tries = 0; tries < 4; tries++) {
      for (const stage of ['consumed', 'mapping', 'producing', 'waiting for kafka'] as const) {
        watch.stage(stage);
        clock.advance(5);
        watchdog.check();
      }
    }
    expect(stalls.map((event) => [event.key, event.stage])).toEqual([['O-3', 'waiting for kafka']]);
    expect(watchdog.stalled().map((event) => event.key)).toEqual(['O-3']);
    expect(watchdog.stalled()[0]?.stageMs).toBeGreaterThan(40);

    // It got through: its effects are done, it waits for its commit, no longer stalled.
    watch.stage('committing');
    watchdog.check();
    expect(watchdog.stalled()).toEqual([]);
  });

  it('does not time a parked record waiting for its next round', async () => {
    const { logger } = capture();
    const clock = manualClock();
    const watchdog = new InFlightWatchdog({ deadlineMs: 20, logger, now: clock.now });
    watchdog.track(record('P-1', '1')).stage('waiting until due');
    clock.advance(40);
    watchdog.check();
    expect(watchdog.stalled()).toEqual([]);
  });

  it('tells how long each event spent in each stage it left, also the last one when it is released', () => {
    const { logger } = capture();
    const clock = manualClock();
    const times: [string, number][] = [];
    const watchdog = new InFlightWatchdog({ deadlineMs: 1000, logger, now: clock.now, onStageEnded: (stage, ms) => times.push([stage, ms]) });
    const event = record('O-3', '9');
    const watch = watchdog.track(event);
    clock.advance(2);
    watch.stage('mapping');
    clock.advance(3);
    watch.stage('calling target');
    watch.stage('calling target'); // the same stage again: nothing ends
    clock.advance(40);
    watch.stage('committing');
    clock.advance(7);
    watchdog.release(event);
    watchdog.release(event); // released twice: counted once
    expect(times).toEqual([['consumed', 2], ['mapping', 3], ['calling target', 40], ['committing', 7]]);
  });
});
