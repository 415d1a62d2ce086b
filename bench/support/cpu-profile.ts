/**
 * Profiles one stretch of a benchmark with V8's sampling profiler (node:inspector), so the
 * profile holds that run only, not start-up or filling topics. On when BENCH_PROFILE_DIR names
 * a folder: each profiled stretch is written there as `<name>.cpuprofile` (open it in Chrome's
 * DevTools, or summarize it with bench/support/profile-top.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

const dir = process.env.BENCH_PROFILE_DIR;
let session: Session | undefined;

/** Runs `body`, profiled when BENCH_PROFILE_DIR is set; returns what `body` returns. */
export async function profiled<T>(name: string, body: () => Promise<T>): Promise<T> {
  if (!dir) return body();
  if (!session) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    // 250 µs between samples: fine enough for a few seconds of hot path, small enough a file.
    await session.post('Profiler.setSamplingInterval', { interval: 250 });
  }
  await session.post('Profiler.start');
  try {
    return await body();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
  }
}
