/**
 * The local infrastructure without Docker: a real Apache Kafka (KRaft) resolved from Maven
 * Central, and Debian's redis-server, started detached with their state in a git-ignored
 * folder, and stopped by the pids `stackUp` recorded. Optionally (`with`) PostgreSQL,
 * Prometheus and Toxiproxy beside them, and (`secure`) Kafka with TLS, SASL/SCRAM and ACLs.
 *
 * @example
 * ```ts
 * import { stackUp, stackStatus, stackDown } from './stack/index.js';
 * const up = await stackUp({ progress: (line) => process.stderr.write(`${line}\n`) });
 * console.log(up.kafka.brokers, up.redis.url);      // ['127.0.0.1:9092'] 'redis://127.0.0.1:6379'
 * console.log((await stackStatus()).ready);         // true
 * await stackDown();                                // stops only what stackUp started
 *
 * const secure = await stackUp({ secure: true, with: ['postgres', 'prometheus'] });
 * secure.kafka.secure?.clientEnvFile;                // KAFKA_* for the admin, incl. KAFKA_SSL_CA_FILE
 * secure.postgres?.url;                              // 'postgres://switchboard:switchboard@127.0.0.1:5432/switchboard'
 * ```
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadBusConfig, type BusConfig } from '../hub/bus/index.js';
import { ensureKafkaLibs } from './kafka-artifacts.js';
import { log4jProperties, newClusterId, renderProperties, serverProperties, type KafkaNode } from './kafka-config.js';
import { KAFKA_VERSION } from './kafka-version.js';
import { extrasStatus, extrasStopTargets, extrasUp } from './extras.js';
import { secureServerProperties } from './kafka-security.js';
import { prepareSecureCluster, secureProbeConfig, writeSecureClientFiles, type SecureClientFiles } from './kafka-secure-setup.js';
import { ensureCommand, ensureJava } from './prerequisites.js';
import { kafkaAnswers, portAnswers, redisAnswers, waitFor } from './probes.js';
import { isRunning, recordedPid, removePidFile, spawnDetached, stopProcess, stopTarget } from './processes.js';
import { StackStartError } from './stack-errors.js';
import { STACK_EXTRAS, type StackExtra } from './stack-extras.js';
import { LAYOUT_FILE, resolveStackSettings, type RecordedLayout, type StackOptions, type StackSettings } from './stack-settings.js';
import type { ExtraStatus, ExtraUpState, StackAction, Started, StopTarget } from './stack-types.js';

export type { StackOptions } from './stack-settings.js';
export type { StackAction, ExtraStatus, ExtraUpState } from './stack-types.js';
export type { SecureClientFiles } from './kafka-secure-setup.js';
export { STACK_EXTRAS, parseExtras, type StackExtra } from './stack-extras.js';
export { KAFKA_VERSION } from './kafka-version.js';
export { StackDownloadError, StackPrerequisiteError, StackSecurityError, StackStartError } from './stack-errors.js';
export { ensureAcls, ensureScramUser } from './secure-users.js';
export { provisionKafkaPrincipals, type ProvisionedPrincipals } from './secure-principals.js';
export type { AclGrant, AclOperation } from '../hub/bus/index.js';
export { secureBusConfig, secureStackBus, stackClientInput, type SecureClientInput } from './secure-client.js';
export { PROMETHEUS_RULE_GLOB, prometheusFiles, promtoolCheckRules, startPrometheus, writePrometheusTargets } from './prometheus.js';
export { postgresQuery, startPostgres } from './postgres.js';
export { ensureToxiproxy, startToxiproxy, stopToxiproxy, TOXIPROXY_VERSION } from './toxiproxy.js';
export { ToxiproxyApiError, ToxiproxyClient, type Toxic, type ToxicSpec, type ToxiproxyProxy } from './toxiproxy-client.js';

/** One local Kafka node as `up` left it or `status` found it. */
export interface KafkaNodeState {
  readonly nodeId: number;
  readonly port: number;
  readonly controllerPort: number;
  /** Pid of the process `up` started, when it still runs. */
  readonly pid: number | undefined;
  /** The broker's own log (log4j); the JVM's stdout/stderr go to `stdout.log` beside it. */
  readonly logFile: string;
}

/** Result of {@link stackUp}. */
export interface StackUpResult {
  readonly dir: string;
  readonly kafka: {
    readonly action: StackAction;
    /** Bootstrap servers to connect to (`KAFKA_BROKERS` form). */
    readonly brokers: readonly string[];
    readonly nodes: readonly (KafkaNodeState & { readonly action: StackAction })[];
    /** With `secure`: where clients find the CA, the credentials and `client.env` (no secret here). */
    readonly secure?: SecureClientFiles;
  };
  readonly redis: {
    readonly action: StackAction;
    readonly url: string;
    readonly pid: number | undefined;
    readonly logFile: string | undefined;
  };
  /** With `with: ['postgres']`: the URL (`postgres://switchboard:switchboard@127.0.0.1:5432/switchboard`). */
  readonly postgres?: ExtraUpState;
  /** With `with: ['prometheus']`: its URL and `targetsDir`. */
  readonly prometheus?: ExtraUpState;
  /** With `with: ['toxiproxy']`: the URL of its API. */
  readonly toxiproxy?: ExtraUpState;
}

/** Result of {@link stackStatus}. */
export interface StackStatus {
  readonly dir: string;
  /** Kafka and Redis both answer. */
  readonly ready: boolean;
  readonly kafka: {
    /** False when `KAFKA_BROKERS` is set: the stack does not manage that Kafka. */
    readonly managed: boolean;
    readonly brokers: readonly string[];
    /** A metadata request succeeded (and, when managed, every node is in the cluster). */
    readonly answering: boolean;
    /** TLS + SASL/SCRAM + ACLs (`up --secure`); probes log in as the stack's admin. */
    readonly secure: boolean;
    readonly nodes: readonly (KafkaNodeState & { readonly portAnswering: boolean })[];
  };
  readonly redis: {
    /** False when `REDIS_URL` is set. */
    readonly managed: boolean;
    readonly url: string;
    /** PING answered PONG. */
    readonly answering: boolean;
    readonly pid: number | undefined;
    readonly logFile: string | undefined;
  };
  /** The optional servers asked for (or started earlier and still running). */
  readonly postgres?: ExtraStatus;
  readonly prometheus?: ExtraStatus;
  readonly toxiproxy?: ExtraStatus;
}

/** A part of the stack. */
export type StackComponent = 'kafka' | 'redis' | StackExtra;

/** Options of {@link stackDown}. */
export interface StackDownOptions extends Pick<StackOptions, 'dir' | 'env' | 'progress'> {
  /** Stop only these parts (e.g. the one a test run started); default all. */
  readonly only?: readonly StackComponent[];
}

/** Result of {@link stackDown}: each process stopped and how. */
export interface StackDownResult {
  readonly dir: string;
  readonly stopped: readonly { readonly what: string; readonly pid: number; readonly how: 'terminated' | 'killed' | 'not-running' }[];
}

const KAFKA_HEAP = '512m';
const REDIS_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 30_000;
const execFileAsync = promisify(execFile);

const nodeFiles = (node: KafkaNode) => ({
  properties: join(node.dir, 'server.properties'),
  log4j: join(node.dir, 'log4j.properties'),
  logs: join(node.dir, 'logs'),
  logFile: join(node.dir, 'logs', 'server.log'),
  stdoutLog: join(node.dir, 'logs', 'stdout.log'),
  pidFile: join(node.dir, 'kafka.pid'),
  meta: join(node.dir, 'data', 'meta.properties'),
});

const redisFiles = (settings: StackSettings) => ({
  pidFile: join(settings.redisDir, 'redis.pid'),
  logFile: join(settings.redisDir, 'redis.log'),
});

// The command line of our broker names its own server.properties: that tells it apart from any other java.
const kafkaPidOf = (node: KafkaNode): number | undefined => recordedPid(nodeFiles(node).pidFile, nodeFiles(node).properties);
const redisPidOf = (settings: StackSettings): number | undefined => recordedPid(redisFiles(settings).pidFile, 'redis-server');

function localBusConfig(settings: StackSettings): BusConfig {
  return {
    brokers: settings.nodes.map((node) => `127.0.0.1:${node.port}`),
    clientId: 'switchboard-stack',
    ssl: false,
    replicationFactor: settings.nodes.length >= 3 ? 3 : 1,
    minInsyncReplicas: settings.nodes.length >= 3 ? 2 : 1,
  };
}

function externalBusConfig(env: NodeJS.ProcessEnv): BusConfig {
  return { ...loadBusConfig(env), clientId: 'switchboard-stack' };
}

function tail(file: string, lines: number): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/** The broker's last ERROR/FATAL lines (the cause, e.g. "Address already in use"), else the end of its output. */
function kafkaFailureExcerpt(files: ReturnType<typeof nodeFiles>): string {
  const errors = existsSync(files.logFile)
    ? readFileSync(files.logFile, 'utf8').split('\n').filter((line) => / (ERROR|FATAL) /.test(line)).slice(-3)
    : [];
  return errors.length > 0 ? errors.join('\n') : tail(files.stdoutLog, 10) || tail(files.logFile, 10);
}

/** The cluster id shared by every node of a layout; made once, kept in the cluster folder. */
function clusterIdFor(settings: StackSettings): string {
  const file = join(settings.clusterDir, 'cluster-id');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const id = newClusterId();
  mkdirSync(settings.clusterDir, { recursive: true });
  writeFileSync(file, `${id}\n`);
  return id;
}

async function startKafkaNodes(toStart: readonly KafkaNode[], settings: StackSettings, env: NodeJS.ProcessEnv, progress: (line: string) => void, started: Started[]): Promise<Map<number, number>> {
  const java = ensureJava(progress);
  ensureCommand('mvn', 'maven', `Fetching Apache Kafka ${KAFKA_VERSION}`, progress);
  const libs = ensureKafkaLibs(progress, env);
  const classpath = join(libs, '*'); // expanded by the JVM, not a shell
  const clusterId = clusterIdFor(settings);
  // Secure: TLS material and the admin's SCRAM credential, which formatting writes into the metadata log.
  const secure = settings.secure ? prepareSecureCluster(settings, java, progress) : undefined;

  await Promise.all(
    toStart.map(async (node) => {
      const files = nodeFiles(node);
      mkdirSync(files.logs, { recursive: true });
      const properties = { ...serverProperties(node, settings.nodes), ...(secure ? secureServerProperties(node, secure.security) : {}) };
      // server.properties holds the store and admin passwords when secure.
      writeFileSync(files.properties, renderProperties(properties), { mode: 0o600 });
      writeFileSync(files.log4j, renderProperties(log4jProperties(files.logs)));
      if (existsSync(files.meta)) return;
      // Static quorum (controller.quorum.voters), so format without --standalone.
      const args = [`-Dlog4j.configuration=file:${files.log4j}`, '-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', files.properties, '--ignore-formatted', ...(secure?.formatArgs ?? [])];
      const { stdout, stderr } = await execFileAsync(java, args, { cwd: node.dir }).catch((error: unknown) => {
        // The admin's password is an argument: never repeat the command line.
        const said = (error as { stderr?: string }).stderr?.trim().split('\n').slice(-5).join('\n') ?? '';
        throw new StackStartError(`Formatting Kafka node ${node.nodeId} in ${node.dir} failed (see ${files.logs}):\n${said}`, undefined);
      });
      writeFileSync(join(files.logs, 'format.log'), `${stdout}${stderr}`);
    }),
  );

  const pids = new Map<number, number>();
  for (const node of toStart) {
    const files = nodeFiles(node);
    progress(`Starting Kafka ${KAFKA_VERSION} node ${node.nodeId} on 127.0.0.1:${node.port} ...`);
    const pid = spawnDetached(
      java,
      [
        `-Xmx${KAFKA_HEAP}`,
        `-Xms${KAFKA_HEAP}`,
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-Djava.awt.headless=true',
        `-Dlog4j.configuration=file:${files.log4j}`,
        `-Dkafka.logs.dir=${files.logs}`,
        '-cp',
        classpath,
        'kafka.Kafka',
        files.properties,
      ],
      { logFile: files.stdoutLog, pidFile: files.pidFile, cwd: node.dir },
    );
    started.push({ pid, pidFile: files.pidFile });
    pids.set(node.nodeId, pid);
  }
  return pids;
}

/** How probes reach the local cluster: as the admin over TLS when secure, else plainly. */
/** The probe's bus settings: as given, or the secure stack's admin over TLS and SASL. */
const probeConfigOf = (settings: StackSettings, config: BusConfig): BusConfig => (settings.secure ? secureProbeConfig(settings, config) : config);

async function kafkaUp(settings: StackSettings, options: StackOptions, progress: (line: string) => void, startedByCall: Started[]): Promise<StackUpResult['kafka']> {
  const env = options.env ?? process.env;
  if (settings.externalKafka !== undefined) {
    const config = externalBusConfig(env);
    if (!(await waitFor(() => kafkaAnswers(config), { timeoutMs: options.kafkaTimeoutMs ?? 90_000, intervalMs: 1000 }))) {
      throw new StackStartError(`KAFKA_BROKERS is set (${settings.externalKafka}), so no Kafka was started, but it does not answer a metadata request`);
    }
    return { action: 'external', brokers: config.brokers, nodes: [] };
  }

  const config = localBusConfig(settings);
  const actions = new Map<number, StackAction>();
  const toStart: KafkaNode[] = [];
  for (const node of settings.nodes) {
    if (kafkaPidOf(node) !== undefined) actions.set(node.nodeId, 'already-running');
    else if (await portAnswers(node.port)) actions.set(node.nodeId, 'using-existing');
    else toStart.push(node);
  }
  for (const node of toStart) {
    if (await portAnswers(node.controllerPort)) {
      throw new StackStartError(`Cannot start Kafka node ${node.nodeId}: its controller port 127.0.0.1:${node.controllerPort} is taken by another process. Free it or choose another base port (SWITCHBOARD_KAFKA_PORT / --kafka-port).`);
    }
  }
  const started = toStart.length > 0 ? await startKafkaNodes(toStart, settings, env, progress, startedByCall) : new Map<number, number>();
  for (const nodeId of started.keys()) actions.set(nodeId, 'started');

  if (toStart.length > 0) progress(`Waiting for Kafka to answer a metadata request (logs: ${settings.nodes.map((node) => nodeFiles(node).logFile).join(', ')}) ...`);
  const startedAlive = (): boolean => [...started.values()].every((pid) => isRunning(pid));
  const ready = await waitFor(() => kafkaAnswers(probeConfigOf(settings, config), settings.nodes.length), {
    timeoutMs: options.kafkaTimeoutMs ?? 90_000,
    intervalMs: 1000,
    stillRunning: startedAlive,
  });
  if (!ready) {
    const node = settings.nodes.find((candidate) => actions.get(candidate.nodeId) === 'started') ?? settings.nodes[0];
    const files = nodeFiles(node);
    const reason = startedAlive() ? 'did not answer a metadata request in time' : 'exited';
    const inUse = [...actions.values()].includes('using-existing') ? ` Something that is not this stack's broker answers on port ${settings.nodes.map((n) => n.port).join('/')}.` : '';
    throw new StackStartError(
      `Kafka on ${config.brokers.join(',')} ${reason}.${inUse} See ${files.logFile} and ${files.stdoutLog}.\n${kafkaFailureExcerpt(files)}`,
    );
  }
  return {
    action: summarize([...actions.values()]),
    brokers: config.brokers,
    nodes: settings.nodes.map((node) => ({ ...nodeState(node), action: actions.get(node.nodeId) ?? 'using-existing' })),
    ...(settings.secure ? { secure: writeSecureClientFiles(settings) } : {}),
  };
}

// One word for the whole cluster: "started" if any node was started.
function summarize(actions: readonly StackAction[]): StackAction {
  for (const action of ['started', 'already-running', 'using-existing'] as const) if (actions.includes(action)) return action;
  return 'using-existing';
}

function nodeState(node: KafkaNode): KafkaNodeState {
  return { nodeId: node.nodeId, port: node.port, controllerPort: node.controllerPort, pid: kafkaPidOf(node), logFile: nodeFiles(node).logFile };
}

async function redisUp(settings: StackSettings, progress: (line: string) => void, startedByCall: Started[]): Promise<StackUpResult['redis']> {
  if (settings.externalRedis !== undefined) {
    if (!(await waitFor(() => redisAnswers(settings.externalRedis ?? ''), { timeoutMs: REDIS_TIMEOUT_MS }))) {
      throw new StackStartError(`REDIS_URL is set (${settings.externalRedis}), so no Redis was started, but it does not answer PING`);
    }
    return { action: 'external', url: settings.externalRedis, pid: undefined, logFile: undefined };
  }
  const url = `redis://127.0.0.1:${settings.redisPort}`;
  const files = redisFiles(settings);
  let pid = redisPidOf(settings);
  let action: StackAction;
  if (pid !== undefined) action = 'already-running';
  else if (await portAnswers(settings.redisPort)) action = 'using-existing';
  else {
    ensureCommand('redis-server', 'redis-server', 'The local Redis', progress);
    mkdirSync(settings.redisDir, { recursive: true });
    progress(`Starting Redis on 127.0.0.1:${settings.redisPort} ...`);
    // No persistence: the local Redis holds test and development state only.
    pid = spawnDetached(
      'redis-server',
      ['--port', String(settings.redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', settings.redisDir],
      { logFile: files.logFile, pidFile: files.pidFile, cwd: settings.redisDir },
    );
    startedByCall.push({ pid, pidFile: files.pidFile });
    action = 'started';
  }
  const startedPid = action === 'started' ? pid : undefined;
  const ready = await waitFor(() => redisAnswers(url), {
    timeoutMs: REDIS_TIMEOUT_MS,
    intervalMs: 200,
    stillRunning: () => startedPid === undefined || isRunning(startedPid),
  });
  if (!ready) {
    const why = action === 'using-existing' ? `something that is not Redis answers on port ${settings.redisPort}` : `it did not answer PING; see ${files.logFile}\n${tail(files.logFile, 10)}`;
    throw new StackStartError(`Redis on ${url} is not usable: ${why}`);
  }
  return { action, url, pid: redisPidOf(settings), logFile: action === 'using-existing' ? undefined : files.logFile };
}

/**
 * Starts what is missing of the local stack (Kafka and Redis) and waits until both answer: a
 * real metadata request and a PING. Harmless when they already run (its own processes or
 * anything answering on the ports is used, not duplicated). With `KAFKA_BROKERS` / `REDIS_URL`
 * set it starts nothing for that part and only checks it answers. First use fetches Kafka
 * from Maven Central (needs Java 17+ and Maven; installed with apt-get when running as root).
 *
 * When it fails, it stops whatever this call started before throwing.
 *
 * @throws StackPrerequisiteError, StackDownloadError, StackStartError (the message names the log file).
 */
export async function stackUp(options: StackOptions = {}): Promise<StackUpResult> {
  const settings = resolveStackSettings(options);
  const progress = options.progress ?? (() => undefined);
  mkdirSync(settings.dir, { recursive: true });
  const layout: RecordedLayout = {
    brokers: settings.brokers,
    kafkaPort: settings.kafkaPort,
    redisPort: settings.redisPort,
    secure: settings.secure,
    with: settings.extras,
    postgresPort: settings.postgresPort,
    prometheusPort: settings.prometheusPort,
    toxiproxyPort: settings.toxiproxyPort,
  };
  writeFileSync(join(settings.dir, LAYOUT_FILE), `${JSON.stringify(layout, null, 2)}\n`);
  // Redis and the extras start in seconds; get them going while Kafka is fetched and formatted.
  const startedByCall: Started[] = [];
  const [kafka, redis, extras] = await Promise.allSettled([
    kafkaUp(settings, options, progress, startedByCall),
    redisUp(settings, progress, startedByCall),
    extrasUp(settings, progress, startedByCall),
  ]);
  if (kafka.status === 'fulfilled' && redis.status === 'fulfilled' && extras.status === 'fulfilled') {
    return { dir: settings.dir, kafka: kafka.value, redis: redis.value, ...extras.value };
  }
  // A failed `up` leaves nothing of its own running (a hung broker would hold the ports), and
  // never touches what ran before it.
  await Promise.all(
    startedByCall.map(async ({ pid, pidFile, signal }) => {
      await stopProcess(pid, STOP_TIMEOUT_MS, signal);
      removePidFile(pidFile);
    }),
  );
  throw [kafka, redis, extras].find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')?.reason;
}

/**
 * Says what runs: for each Kafka node its recorded pid and whether its port answers, whether
 * Kafka answers a metadata request, and whether Redis answers PING. Never starts or stops
 * anything. Without options it describes the layout the last `stackUp` in that folder used.
 */
export async function stackStatus(options: StackOptions = {}): Promise<StackStatus> {
  const settings = resolveStackSettings(options, true);
  const env = options.env ?? process.env;

  const kafkaPromise = (async (): Promise<StackStatus['kafka']> => {
    if (settings.externalKafka !== undefined) {
      const config = externalBusConfig(env);
      return { managed: false, brokers: config.brokers, answering: await kafkaAnswers(config), secure: config.ssl, nodes: [] };
    }
    const config = localBusConfig(settings);
    const nodes = await Promise.all(settings.nodes.map(async (node) => ({ ...nodeState(node), portAnswering: await portAnswers(node.port) })));
    const answering = nodes.some((node) => node.portAnswering) && (await kafkaAnswers(probeConfigOf(settings, config), settings.nodes.length));
    return { managed: true, brokers: config.brokers, answering, secure: settings.secure, nodes };
  })();

  const redisPromise = (async (): Promise<StackStatus['redis']> => {
    if (settings.externalRedis !== undefined) {
      return { managed: false, url: settings.externalRedis, answering: await redisAnswers(settings.externalRedis), pid: undefined, logFile: undefined };
    }
    const url = `redis://127.0.0.1:${settings.redisPort}`;
    const pid = redisPidOf(settings);
    return { managed: true, url, answering: await redisAnswers(url), pid, logFile: pid === undefined ? undefined : redisFiles(settings).logFile };
  })();

  const [kafka, redis, extras] = await Promise.all([kafkaPromise, redisPromise, extrasStatus(settings)]);
  // Ready: Kafka, Redis and every extra asked for answer.
  const extrasReady = settings.extras.every((extra) => extras[extra]?.answering === true);
  return { dir: settings.dir, ready: kafka.answering && redis.answering && extrasReady, kafka, redis, ...extras };
}

/**
 * Stops exactly what `stackUp` started from this state folder, by recorded pid (whatever
 * layout or ports it used, and regardless of `KAFKA_BROKERS` / `REDIS_URL`): SIGTERM, then
 * SIGKILL after 30 s. Processes it did not start are never touched. Data stays for the next `up`.
 */
export async function stackDown(options: StackDownOptions = {}): Promise<StackDownResult> {
  const settings = resolveStackSettings(options);
  const progress = options.progress ?? (() => undefined);
  const only = new Set<string>(options.only ?? ['kafka', 'redis', ...STACK_EXTRAS]);
  const targets: StopTarget[] = [];
  if (existsSync(settings.dir) && only.has('kafka')) {
    for (const cluster of readdirSync(settings.dir).filter((entry) => entry.startsWith('kafka'))) {
      const clusterDir = join(settings.dir, cluster);
      for (const nodeDirName of existsSync(clusterDir) ? readdirSync(clusterDir).filter((entry) => entry.startsWith('node-')) : []) {
        const nodeDir = join(clusterDir, nodeDirName);
        targets.push({ what: `kafka ${cluster}/${nodeDirName}`, pidFile: join(nodeDir, 'kafka.pid'), mark: join(nodeDir, 'server.properties') });
      }
    }
  }
  if (existsSync(settings.dir) && only.has('redis')) targets.push({ what: 'redis', pidFile: redisFiles(settings).pidFile, mark: 'redis-server' });
  if (existsSync(settings.dir)) targets.push(...extrasStopTargets(settings, only));
  // All at once: a KRaft node shutting down cleanly needs the controller quorum still there.
  const stopped = await Promise.all(
    targets.map(async (target) => {
      const pid = recordedPid(target.pidFile, target.mark);
      if (pid !== undefined) progress(`Stopping ${target.what} (pid ${pid}) ...`);
      return stopTarget(target, STOP_TIMEOUT_MS);
    }),
  );
  return { dir: settings.dir, stopped: stopped.filter((entry) => entry !== undefined) };
}
