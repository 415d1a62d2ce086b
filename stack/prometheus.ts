/**
 * `stack up --with prometheus`: Debian's Prometheus binary (not its service), run detached with
 * a configuration generated into `<stack dir>/prometheus/prometheus.yml`, scraping the targets
 * written with `writePrometheusTargets` and evaluating `ops/prometheus/*.rules.yml`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCommand } from './prerequisites.js';
import { prometheusConfig } from './prometheus-config.js';
import { httpAnswers, portAnswers, waitFor } from './probes.js';
import { isRunning, recordedPid, spawnDetached } from './processes.js';
import { StackStartError } from './stack-errors.js';
import { REPO_ROOT } from './stack-settings.js';
import type { ExtraStatus, ExtraUpState, Started, StopTarget } from './stack-types.js';

export { writePrometheusTargets } from './prometheus-config.js';

const START_TIMEOUT_MS = 60_000;

/** The repository's alert rule files, loaded by the local Prometheus. */
export const PROMETHEUS_RULE_GLOB = join(REPO_ROOT, 'ops', 'prometheus', '*.rules.yml');

/** Where one local Prometheus lives and listens. */
export interface PrometheusPlace {
  /** `<stack dir>/prometheus`. */
  readonly dir: string;
  readonly port: number;
  /** Rule files or globs; default the repository's `ops/prometheus/*.rules.yml`. */
  readonly ruleFiles?: readonly string[];
}

/** The files of one local Prometheus: its config, its target files' folder, its data, log and pid. */
export function prometheusFiles(dir: string) {
  return {
    config: join(dir, 'prometheus.yml'),
    targetsDir: join(dir, 'targets'),
    data: join(dir, 'data'),
    logFile: join(dir, 'prometheus.log'),
    pidFile: join(dir, 'prometheus.pid'),
  };
}

const urlOf = (port: number): string => `http://127.0.0.1:${port}`;
const pidOf = (dir: string): number | undefined => recordedPid(prometheusFiles(dir).pidFile, prometheusFiles(dir).config);

const ready = (port: number): Promise<boolean> => httpAnswers(port, `${urlOf(port)}/-/ready`);

/**
 * Starts the local Prometheus unless it already runs (then it reloads the regenerated
 * configuration through `/-/reload`), and waits for `/-/ready`. Installs Debian's `prometheus`
 * package when missing and running as root.
 *
 * @example
 * ```ts
 * const prom = await startPrometheus({ dir: '/tmp/s/prometheus', port: 19090 }, console.error, []);
 * writePrometheusTargets(prometheusFiles('/tmp/s/prometheus').targetsDir, 'crm', ['127.0.0.1:3001']);
 * ```
 * @throws StackPrerequisiteError when Prometheus is missing, StackStartError when it does not start.
 */
export async function startPrometheus(place: PrometheusPlace, progress: (line: string) => void, started: Started[]): Promise<ExtraUpState> {
  const paths = prometheusFiles(place.dir);
  const url = urlOf(place.port);
  ensureCommand('prometheus', 'prometheus', 'The local Prometheus', progress);
  mkdirSync(paths.targetsDir, { recursive: true });
  mkdirSync(paths.data, { recursive: true });
  writeFileSync(paths.config, prometheusConfig({ targetsDir: paths.targetsDir, ruleFiles: place.ruleFiles ?? [PROMETHEUS_RULE_GLOB], listenAddress: `127.0.0.1:${place.port}` }));

  const existing = pidOf(place.dir);
  if (existing !== undefined) {
    const reload = await fetch(`${url}/-/reload`, { method: 'POST' }).catch((error: unknown) => error);
    if (!(reload instanceof Response) || !reload.ok) progress(`Prometheus (pid ${existing}) did not reload its configuration; see ${paths.logFile}`);
    return { action: 'already-running', url, pid: existing, logFile: paths.logFile };
  }
  if (await portAnswers(place.port)) {
    throw new StackStartError(`Cannot start Prometheus: port 127.0.0.1:${place.port} is taken by another process. Choose another (SWITCHBOARD_PROMETHEUS_PORT / --prometheus-port).`);
  }
  progress(`Starting Prometheus on ${url} ...`);
  const pid = spawnDetached(
    'prometheus',
    [
      `--config.file=${paths.config}`,
      `--storage.tsdb.path=${paths.data}`,
      '--storage.tsdb.retention.time=2d',
      `--web.listen-address=127.0.0.1:${place.port}`,
      '--web.enable-lifecycle',
    ],
    { logFile: paths.logFile, pidFile: paths.pidFile, cwd: place.dir },
  );
  started.push({ pid, pidFile: paths.pidFile });
  if (!(await waitFor(() => ready(place.port), { timeoutMs: START_TIMEOUT_MS, intervalMs: 300, stillRunning: () => isRunning(pid) }))) {
    throw new StackStartError(`Prometheus on ${url} ${isRunning(pid) ? 'was not ready in time' : 'exited'}; see ${paths.logFile}`);
  }
  return { action: 'started', url, pid, logFile: paths.logFile };
}

/** Whether the local Prometheus is ready, and the pid `up` recorded. */
export async function prometheusStatus(place: PrometheusPlace): Promise<ExtraStatus> {
  return { url: urlOf(place.port), answering: await ready(place.port), pid: pidOf(place.dir), logFile: prometheusFiles(place.dir).logFile };
}

/** What `down` stops: the Prometheus `up` started. */
export function prometheusStopTarget(dir: string): StopTarget {
  const paths = prometheusFiles(dir);
  return { what: 'prometheus', pidFile: paths.pidFile, mark: paths.config };
}

/**
 * Checks rule files with `promtool check rules` (installed with Debian's `prometheus`).
 * Resolves to whether all are valid and promtool's own report.
 *
 * @example
 * ```ts
 * const { ok, output } = promtoolCheckRules(['ops/prometheus/switchboard.rules.yml']);
 * if (!ok) throw new Error(output);
 * ```
 */
export function promtoolCheckRules(files: readonly string[], progress: (line: string) => void = () => undefined): { ok: boolean; output: string } {
  ensureCommand('promtool', 'prometheus', 'Checking Prometheus rules', progress);
  const result = spawnSync('promtool', ['check', 'rules', ...files], { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}
