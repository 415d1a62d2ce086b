import { pino } from 'pino';
import type { WriterSource, WriterView } from './election.js';
import { isRegistryError, registryErrors } from './errors.js';
import { FORWARDED_HEADER, type ForwardResult, type WriteRequest } from './forward.js';
import { WriteRouter, type IncomingWrite } from './write-router.js';

/** A writer view the test moves by hand, as the election would. */
class ScriptedWriters implements WriterSource {
  private view: WriterView = { term: 0, self: false, url: undefined };
  private readonly waiting = new Set<() => void>();

  set(view: Omit<WriterView, 'term'>): void {
    this.view = { ...view, term: this.view.term + 1 };
    for (const wake of [...this.waiting]) wake();
  }

  current(): WriterView {
    return this.view;
  }

  changed(afterTerm: number, until: number): Promise<boolean> {
    if (this.view.term > afterTerm) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(wake);
        resolve(false);
      }, Math.max(0, until - Date.now()));
      const wake = () => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        resolve(true);
      };
      this.waiting.add(wake);
    });
  }
}

const request = (headers: IncomingWrite['headers'] = {}): IncomingWrite => ({ method: 'POST', url: '/subjects/s%2Fx/versions', body: { schema: '"string"' }, headers });

function setup(waitMs = 3000) {
  const writers = new ScriptedWriters();
  const forwarded: { url: string; request: WriteRequest }[] = [];
  const answers: ForwardResult[] = [];
  let caughtUp = 0;
  const router = new WriteRouter({
    writers,
    waitMs,
    origin: () => 'http://me:8081',
    catchUp: async () => {
      caughtUp++;
    },
    logger: pino({ level: 'silent' }),
    forward: async (url, req) => {
      forwarded.push({ url, request: req });
      return answers.shift() ?? { kind: 'answered', status: 200, body: { id: 7 } };
    },
  });
  return { writers, router, forwarded, answers, caughtUp: () => caughtUp };
}

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isRegistryError(error)) throw new Error(`expected a RegistryError, got ${String(error)}`);
  return { status: error.httpStatus, errorCode: error.errorCode, message: error.message };
};

describe('WriteRouter', () => {
  it('runs the write here when this instance is the writer', async () => {
    const { writers, router, forwarded } = setup();
    writers.set({ self: true, url: 'http://me:8081' });
    expect(await router.run(request(), async () => ({ id: 1 }))).toEqual({ status: 200, body: { id: 1 } });
    expect(forwarded).toEqual([]);
  });

  it('forwards to the writer as received, relays its answer, and reads the write before answering', async () => {
    const { writers, router, forwarded, answers, caughtUp } = setup();
    writers.set({ self: false, url: 'http://writer:8081' });
    let ranHere = 0;
    const local = async () => ({ id: ++ranHere });
    expect(await router.run(request(), local)).toEqual({ status: 200, body: { id: 7 } });
    expect(forwarded).toEqual([{ url: 'http://writer:8081', request: { method: 'POST', url: '/subjects/s%2Fx/versions', body: { schema: '"string"' } } }]);
    expect(caughtUp()).toBe(1);
    // The writer's refusals are the client's answer too, unchanged.
    answers.push({ kind: 'answered', status: 409, body: { error_code: 409, message: 'incompatible' } });
    expect(await router.run(request(), local)).toEqual({ status: 409, body: { error_code: 409, message: 'incompatible' } });
    expect(caughtUp()).toBe(1);
    expect(ranHere).toBe(0);
  });

  it('waits for an election in progress and then sends the write to the elected writer', async () => {
    const { writers, router, forwarded } = setup();
    const answer = router.run(request(), async () => ({ id: 1 }));
    setTimeout(() => writers.set({ self: false, url: 'http://writer:8081' }), 100);
    expect(await answer).toEqual({ status: 200, body: { id: 7 } });
    expect(forwarded).toHaveLength(1);
  });

  it('tries the new writer when the old one refuses the connection or says it no longer writes', async () => {
    const { writers, router, forwarded, answers } = setup();
    writers.set({ self: false, url: 'http://old:8081' });
    answers.push({ kind: 'unreachable', reason: 'http://old:8081: ECONNREFUSED' }, { kind: 'answered', status: 503, body: { error_code: 50003, message: 'not the writer' } });
    const answer = router.run(request(), async () => ({ id: 1 }));
    setTimeout(() => writers.set({ self: false, url: 'http://new:8081' }), 50);
    expect(await answer).toEqual({ status: 200, body: { id: 7 } });
    expect(forwarded.map((f) => f.url)).toEqual(['http://old:8081', 'http://new:8081', 'http://new:8081']);
  });

  it('answers 503 with 50003 when no writer shows up in time', async () => {
    const { router } = setup(300);
    expect(await refusal(router.run(request(), async () => ({ id: 1 })))).toEqual({
      status: 503,
      errorCode: 50003,
      message: expect.stringContaining('no writer is elected; waited 300 ms'),
    });
  });

  it('does not send again a write whose outcome is unknown', async () => {
    const { writers, router, forwarded, answers } = setup();
    writers.set({ self: false, url: 'http://writer:8081' });
    answers.push({ kind: 'unknown', reason: 'http://writer:8081: socket hang up' });
    expect(await refusal(router.run(request(), async () => ({ id: 1 })))).toMatchObject({ status: 503, errorCode: 50003, message: expect.stringContaining('may or may not have happened') });
    expect(forwarded).toHaveLength(1);
  });

  it('never forwards a forwarded write, and gives it one try here', async () => {
    const { writers, router, forwarded } = setup();
    writers.set({ self: false, url: 'http://other:8081' });
    expect(await refusal(router.run(request({ [FORWARDED_HEADER]: 'http://peer:8081' }), async () => ({ id: 1 })))).toMatchObject({ status: 503, errorCode: 50003 });
    expect(forwarded).toEqual([]);
  });

  it('follows the election when this instance loses the writer role during a write, then forwards it', async () => {
    const { writers, router, forwarded } = setup();
    writers.set({ self: true, url: 'http://me:8081' });
    // What a fenced local write does: the election moves on, the store refuses with 50003.
    const fenced = async () => {
      writers.set({ self: false, url: 'http://new:8081' });
      throw registryErrors.writerUnavailable('this instance is no longer the writer');
    };
    expect(await router.run(request(), fenced)).toEqual({ status: 200, body: { id: 7 } });
    expect(forwarded.map((f) => f.url)).toEqual(['http://new:8081']);
  });
});
