import { createRequire } from 'node:module';

/** What the fix needs of kafkajs's protocol Encoder (`kafkajs/src/protocol/encoder.js`). */
interface EncoderInstance {
  buf: Buffer;
  offset: number;
}

interface EncoderClass {
  nextPowerOfTwo(value: number): number;
  readonly prototype: EncoderInstance & { ensureAvailable(this: EncoderInstance, length: number): void };
  switchboardPooledBuffers?: true;
}

/** The kafkajs release whose code this fix was written against. */
const FIXED_VERSION = '2.2.4';

/**
 * The smallest buffer an encoder grows to: what kafkajs 2.2.4 gave every encoder at once (512
 * bytes), so a record or header still fits in its first buffer.
 */
const FIRST_BUFFER_BYTES = 512;

/**
 * Makes kafkajs 2.2.4's protocol encoder take its buffers from Node's buffer pool instead of
 * allocating and zero-filling a buffer of its own. kafkajs builds every record, header and
 * request with a new `Encoder`, and each one began with `Buffer.alloc(512)`: a new ArrayBuffer,
 * zeroed, for each of a record's dozen parts. That allocation (`FastBuffer`) was the largest
 * self time of a topic→topic connector, 14 % of its busy time, and most of its garbage
 * (bench/COMPARISONS.md, "kafkajs's encoder").
 *
 * - An encoder now starts with an empty buffer. kafkajs's constructor sizes its first buffer
 *   with `Encoder.nextPowerOfTwo`, and in 2.2.4 nothing else calls it once `ensureAvailable`
 *   is replaced, so it answers 0 here.
 * - The first write grows the buffer to at least 512 bytes with `Buffer.allocUnsafe`, and so
 *   does every later growth. Under 4 KB, Node serves that from its shared 8 KB pool, without a
 *   new ArrayBuffer.
 * - The bytes are the same. An encoder only ever hands out the bytes it wrote (`buffer` is the
 *   buffer up to its offset), and each of its write methods writes every byte it counts.
 *   `kafkajs-encoder-fix.test.ts` compares whole record batches encoded before and after the fix.
 *
 * Applied once, only to the pinned 2.2.4 (another version is left as it is: its code may differ).
 *
 * @example
 * ```ts
 * fixKafkajsEncoderAllocation(); // before the first record is produced
 * ```
 * @returns whether the fix is in force.
 */
export function fixKafkajsEncoderAllocation(): boolean {
  const require = createRequire(import.meta.url);
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== FIXED_VERSION) return false;
  const Encoder = require('kafkajs/src/protocol/encoder.js') as EncoderClass;
  if (Encoder.switchboardPooledBuffers) return true;

  const nextPowerOfTwo = Encoder.nextPowerOfTwo.bind(Encoder);
  Encoder.prototype.ensureAvailable = function ensureAvailable(length) {
    const needed = this.offset + length;
    if (needed <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(FIRST_BUFFER_BYTES, nextPowerOfTwo(needed)));
    this.buf.copy(grown, 0, 0, this.offset);
    this.buf = grown;
  };
  // The constructor's first buffer: empty, so it has no memory of its own until the first write.
  Encoder.nextPowerOfTwo = () => 0;
  Encoder.switchboardPooledBuffers = true;
  return true;
}
