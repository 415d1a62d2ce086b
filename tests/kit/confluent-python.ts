/**
 * Confluent's Python client (confluent-kafka with its Avro serializer), a producer Switchboard
 * did not write, in a venv the kit makes once in `.switchboard/venv-confluent` from
 * `tests/foreign-producers/requirements.txt` (pip from PyPI; python3 with venv is needed).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../hub/config/project-root.js';

const run = promisify(execFile);
const VENV = join(PROJECT_ROOT, '.switchboard', 'venv-confluent');
const REQUIREMENTS = join(PROJECT_ROOT, 'tests', 'foreign-producers', 'requirements.txt');
const SCRIPT = join(PROJECT_ROOT, 'tests', 'foreign-producers', 'confluent_produce.py');

/** One record as the foreign producer publishes it. */
export interface ForeignRecord {
  readonly topic: string;
  /** The registry subject whose latest schema the value is serialized with. */
  readonly subject: string;
  readonly key: string;
  readonly value: unknown;
  /** Kafka headers; none at all for a plain record. */
  readonly headers?: Readonly<Record<string, string>>;
}

let ready: Promise<string> | undefined;

/** The venv's python, made (or remade when the requirements changed) on first use. */
export function confluentPython(): Promise<string> {
  ready ??= (async () => {
    const python = join(VENV, 'bin', 'python');
    const stamp = join(VENV, '.requirements-sha256');
    const wanted = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
    if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return python;
    await run('python3', ['-m', 'venv', '--clear', VENV]);
    await run(join(VENV, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS], { maxBuffer: 16 * 1024 * 1024 });
    writeFileSync(stamp, wanted);
    return python;
  })();
  return ready;
}

/**
 * Publishes `records` with Confluent's Python client (AvroSerializer, schema from the registry,
 * murmur2 partitioner), as an existing system would.
 *
 * @example
 * ```ts
 * await produceWithConfluentPython({ bootstrap: '127.0.0.1:9092', registry: stack.registryUrl, records: [{ topic, subject, key, value, headers }] });
 * ```
 */
export async function produceWithConfluentPython(input: { bootstrap: string; registry: string; records: readonly ForeignRecord[] }): Promise<void> {
  const python = await confluentPython();
  const child = execFile(python, [SCRIPT], { maxBuffer: 4 * 1024 * 1024 });
  const output = new Promise<string>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`confluent_produce.py exited ${code}: ${stdout}${stderr}`))));
  });
  child.stdin?.end(JSON.stringify(input));
  await output;
}
