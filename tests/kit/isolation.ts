import { randomBytes } from 'node:crypto';

/**
 * A topic prefix and group-id stem unique to one test file, so runs (and files running in
 * parallel) never see each other's data on the shared broker.
 */
export function uniquePrefix(label = 't'): string {
  return `${label}${Date.now().toString(36)}${randomBytes(3).toString('hex')}.`;
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
