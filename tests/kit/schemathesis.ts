/**
 * Schemathesis (PyPI `schemathesis`), the property-based API fuzzer the fuzz
 * tests drive from the services' OpenAPI documents: installed once, pinned, from PyPI into a
 * virtualenv in the cache folder (`~/.cache/switchboard/schemathesis-<version>`, like the stack's
 * Kafka jars), and run as a child process against a service's URL.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheRoot } from '../../stack/kafka-artifacts.js';

/** The pinned release (PyPI). */
export const SCHEMATHESIS_VERSION = '4.32.5';

/** Where the pinned release's virtualenv lives. */
export function schemathesisHome(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), `schemathesis-${SCHEMATHESIS_VERSION}`);
}

function mustRun(command: string, args: readonly string[], what: string): void {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.error || result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`${what} failed (exit ${result.status ?? 'none'}${result.error ? `, ${result.error.message}` : ''}). Needs python3 with venv and pip, and PyPI reachable.\n${output}`);
  }
}

/**
 * Installs the pinned schemathesis once (about 15 s) and returns the virtualenv's python. The
 * install goes to a private folder renamed into place when complete, so an interrupted or
 * concurrent install never leaves a half-made one (the python is run as `-m schemathesis.cli`,
 * which does not depend on the folder's name).
 *
 * @example
 * ```ts
 * const python = ensureSchemathesis((line) => console.log(line));
 * ```
 */
export function ensureSchemathesis(progress: (line: string) => void = () => undefined, env: NodeJS.ProcessEnv = process.env): string {
  const home = schemathesisHome(env);
  const python = join(home, 'bin', 'python');
  if (existsSync(join(home, '.complete'))) return python;
  const staging = `${home}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  progress(`Installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${home} (once; about 15 s) ...`);
  try {
    mustRun(env.SWITCHBOARD_PYTHON || 'python3', ['-m', 'venv', staging], 'python3 -m venv');
    mustRun(join(staging, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`], `pip install schemathesis==${SCHEMATHESIS_VERSION}`);
    writeFileSync(join(staging, '.complete'), `${new Date().toISOString()}\n`);
    if (existsSync(join(home, '.complete'))) return python; // another process finished first
    rmSync(home, { recursive: true, force: true });
    renameSync(staging, home);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return python;
}

/** One fuzzing run against one service. */
export interface SchemathesisOptions {
  /** The OpenAPI document, e.g. `http://127.0.0.1:43125/openapi.json`. */
  readonly schemaUrl: string;
  /** The service's base URL. */
  readonly baseUrl: string;
  /** Headers every request carries. Schemathesis masks them in its output. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The token for the document's `bearerAuth` scheme (the services' credentials): sent where an
   * operation asks for it, and left out on purpose to check that the operation then answers 401.
   */
  readonly bearerToken?: string;
  /** Test cases per operation and phase (the coverage phase adds its boundary cases). */
  readonly maxExamples: number;
  readonly seed: number;
  /**
   * What an answer to schema-valid input may be besides 2xx: 404, 409 and 422 are business
   * outcomes (no such record, a conflict, a business rule). 400 is not: a schema-valid request
   * refused as malformed means the API validates something its document does not say.
   */
  readonly acceptedForValidInput?: readonly string[];
  /** Stops the run after this long (ms); default 150 000. */
  readonly timeoutMs?: number;
}

/** What a run gave: schemathesis's exit code (0 when every check passed) and its output. */
export interface SchemathesisRun {
  readonly exitCode: number | null;
  readonly output: string;
}

/**
 * Runs schemathesis with its default checks (no 5xx, answers and statuses as documented,
 * schema-violating input refused, schema-valid input accepted, 405 for undeclared methods) over
 * every operation, in all phases: boundary values and extremes (coverage), Hypothesis-generated
 * data including long and unusual Unicode, wrong types and missing fields (fuzzing), and
 * sequences of operations linked by their answers (stateful). One worker, so a test can compare
 * the database before and after each request. Asynchronous: the service may run in this process.
 *
 * @example
 * ```ts
 * const run = await runSchemathesis({ schemaUrl: `${url}/openapi.json`, baseUrl: url, maxExamples: 8, seed: 1 });
 * expect(run.exitCode).toBe(0);
 * ```
 */
export async function runSchemathesis(options: SchemathesisOptions): Promise<SchemathesisRun> {
  const python = ensureSchemathesis();
  const dir = mkdtempSync(join(tmpdir(), 'swb-schemathesis-'));
  try {
    const accepted = options.acceptedForValidInput ?? ['2xx', '404', '409', '422'];
    writeFileSync(join(dir, 'schemathesis.toml'), [
      // HTTP allows headers an operation does not declare; schemathesis would count one as invalid input.
      '[generation]', 'allow-extra-parameters = false',
      '[checks.positive_data_acceptance]', `expected-statuses = ${JSON.stringify(accepted)}`,
      // The bearer token, from the environment (never written to disk): schemathesis also checks that a request without it is refused.
      ...(options.bearerToken === undefined ? [] : ['[auth.openapi.bearerAuth]', 'bearer = "${SWB_FUZZ_BEARER_TOKEN}"']),
      '',
    ].join('\n'));
    const args = [
      '-m', 'schemathesis.cli', '--config-file', join(dir, 'schemathesis.toml'), 'run', options.schemaUrl,
      '--url', options.baseUrl, '--max-examples', String(options.maxExamples), '--seed', String(options.seed),
      '--workers', '1', '--generation-database', 'none', '--no-color', '--request-timeout', '10',
      ...Object.entries(options.headers ?? {}).flatMap(([name, value]) => ['--header', `${name}: ${value}`]),
    ];
    return await new Promise<SchemathesisRun>((resolve, reject) => {
      const env = { ...process.env, NO_COLOR: '1', ...(options.bearerToken === undefined ? {} : { SWB_FUZZ_BEARER_TOKEN: options.bearerToken }) };
      const child = spawn(python, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
      child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
      const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? 150_000);
      child.on('error', (error) => { clearTimeout(timer); reject(error); });
      child.on('close', (exitCode) => { clearTimeout(timer); resolve({ exitCode, output }); });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
