/**
 * The whole system for end-to-end and failure tests: the three services and connector
 * workers as real child processes (`switchboard service ...`, `switchboard worker ...`, the
 * same commands `switchboard up` runs), an in-process built-in registry, and prefixed topics
 * so that several runs share the local broker without seeing each other. Tests talk to the
 * services over HTTP only.
 */
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bus, loadBusConfig, type BusConfig } from '../../hub/bus/index.js';
import { createLogger } from '../../hub/log/logger.js';
import { createRegistryServer, type RegistryServer } from '../../hub/schema/registry/index.js';
import { Supervisor, httpAnswers, type StartedProcess } from '../../hub/supervisor/supervisor.js';
import { applyTopics } from '../../topics/provision.js';
import { SYSTEM_NAMES, systemVariables, type SystemName } from '../../catalogue/index.js';
import { TokenStore } from '../../hub/admin/token-store.js';
import { ROLES, type Role } from '../../hub/admin/roles.js';
import { kitCredentials } from './credentials.js';
import { kafkaPrincipals, PRINCIPAL_NAMES, type KafkaPrincipal } from '../../hub/security/kafka-principals.js';
import { provisionKafkaPrincipals, type ProvisionedPrincipals } from '../../stack/index.js';
import { CONNECTORS } from '../../connectors/index.js';
import { uniquePrefix } from './isolation.js';
import { freePort } from './ports.js';


export interface SystemOptions {
  /** Connectors the worker runs; default all registered. */
  readonly connectors?: readonly string[];
  /** Worker processes to start, each running `connectors`; default 1. */
  readonly workers?: number;
  /** Extra environment for every child (e.g. shorter retry settings). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Also start the admin API (`switchboard console`, watching `connectors`) on a free port, with a
   * token of each role in a tokens file of its own.
   */
  readonly console?: boolean;
  /**
   * The Kafka and Redis the system runs on (a private stack's); default the shared ones. Its
   * replication settings are those of the topics created.
   */
  readonly stack?: { readonly bus: BusConfig; readonly redisUrl: string };
  /**
   * On a secure private stack (`startPrivateStack({ secure: true })`, its `stackOptions`): one Kafka
   * principal per service, connector, the worker, the registry and the admin API, provisioned by
   * `provisionKafkaPrincipals` (what `switchboard up --secure` runs) with the ACLs of
   * `kafkaPrincipals`; each process logs in as itself only. `principals` may change the plan
   * first (a test that takes a grant away).
   */
  readonly secure?: {
    readonly stackOptions: { readonly dir: string; readonly env: NodeJS.ProcessEnv };
    readonly principals?: (planned: KafkaPrincipal[]) => KafkaPrincipal[];
  };
  /**
   * Where the workers reach each system, given where the services listen (e.g. a Toxiproxy proxy
   * in front of one); systems not named are reached directly.
   */
  readonly workerUrls?: (serviceUrls: Readonly<Record<SystemName, string>>) => Promise<Partial<Record<SystemName, string>>>;
}

/** The admin API of a running system: where it listens and a token of each role. */
export interface SystemConsole {
  readonly url: string;
  readonly tokens: Readonly<Record<Role, string>>;
  readonly process: StartedProcess;
  /** The environment the CLI needs to reach it (SWITCHBOARD_ADMIN_URL), without a token. */
  readonly cliEnv: NodeJS.ProcessEnv;
}

/** A running system; `stop()` ends every process and removes its topics and files. */
export interface RunningSystem {
  readonly prefix: string;
  /** The Kafka it runs on (for clients of the test) and its Redis. */
  readonly bus: BusConfig;
  readonly redisUrl: string;
  readonly urls: Readonly<Record<SystemName, string>>;
  readonly registryUrl: string;
  /** The admin API, when started with `console: true`. */
  readonly console: SystemConsole | undefined;
  /** Every child's output, for a failing test to print. */
  readonly logFile: string;
  /** Starts another worker (same connectors, or those given); resolves when it runs. */
  startWorker(connectors?: readonly string[]): Promise<StartedProcess>;
  /** Starts `switchboard cdc` with the system's settings and `env` (CDC_DATABASE_URL, CDC_SLOT, ...); resolves once it streams. */
  startCdc(env: NodeJS.ProcessEnv): Promise<StartedProcess>;
  readonly workers: StartedProcess[];
  /**
   * Where each process serves `/metrics`, by name (`registry` (in this process), `crm`, `erp`,
   * `scm`, `worker1`, ...): base URLs. Each worker gets its own free metrics port.
   */
  metricsUrls(): Record<string, string>;
  /** SIGTERM (graceful) or SIGKILL (crash) one process. */
  stopProcess(process: StartedProcess, signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** SIGTERM (graceful) or SIGKILL (a crash) of one service. */
  stopService(name: SystemName, signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  startService(name: SystemName): Promise<void>;
  /** The last lines of the children's output. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

// import.meta.dirname is undefined under Jest's VM modules; the URL is always there.
const ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/switchboard.js');

export async function startSystem(options: SystemOptions = {}): Promise<RunningSystem> {
  const prefix = uniquePrefix('sys');
  const dir = mkdtempSync(path.join(tmpdir(), 'switchboard-system-'));
  const logFile = path.join(dir, 'system.log');
  const logger = createLogger('system-test', { level: 'warn' });
  const busConfig = options.stack?.bus ?? loadBusConfig();
  const redisUrl = options.stack?.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const admin = new Bus(busConfig, logger).admin();
  await admin.connect();
  await applyTopics(admin, { replicationFactor: busConfig.replicationFactor, minInsyncReplicas: busConfig.minInsyncReplicas, prefix });
  let principals: ProvisionedPrincipals | undefined;
  if (options.secure) {
    const running = options.connectors?.length ? CONNECTORS.filter((connector) => options.connectors?.includes(connector.name)) : CONNECTORS;
    const planned = kafkaPrincipals({ connectors: running, prefix });
    principals = await provisionKafkaPrincipals(options.secure.principals?.(planned) ?? planned, options.secure.stackOptions);
  }
  /** A process's environment: its own Kafka login on a secure stack. */
  const as = (base: NodeJS.ProcessEnv, username: string): NodeJS.ProcessEnv => (principals ? { ...base, ...principals.envOf(username) } : base);

  const registryBus = principals ? loadBusConfig({ ...stackEnv(busConfig, redisUrl), ...principals.envOf(PRINCIPAL_NAMES.registry) }) : busConfig;
  const registry: RegistryServer = createRegistryServer({ port: 0, host: '127.0.0.1', topic: `${prefix}_schemas`, logger, bus: registryBus });
  const registryUrl = await registry.start();
  const urls = {} as Record<SystemName, string>;
  const systemEnv: NodeJS.ProcessEnv = {};
  for (const name of SYSTEM_NAMES) {
    const port = await freePort();
    const variables = systemVariables(name);
    urls[name] = `http://127.0.0.1:${port}`;
    Object.assign(systemEnv, { [variables.port]: String(port), [variables.url]: urls[name], [variables.dbPath]: path.join(dir, `${name}.db`) });
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SWITCHBOARD_TOPIC_PREFIX: prefix,
    SCHEMA_REGISTRY_URL: registryUrl,
    ...systemEnv,
    // Services require credentials; the worker sends each connector's own token.
    ...kitCredentials().env,
    ...(options.stack ? stackEnv(busConfig, redisUrl) : {}),
    LOG_LEVEL: process.env.SYSTEM_LOG_LEVEL ?? 'warn',
    ...options.env,
  };
  let workerEnv = principals ? { ...as(env, PRINCIPAL_NAMES.worker), KAFKA_CONNECTOR_CREDENTIALS_FILE: principals.connectorCredentialsFile } : env;
  const supervisor = new Supervisor(ENTRY, (line) => appendFileSync(logFile, `${line}\n`), { stopAllOnExit: false });
  const services = new Map<SystemName, StartedProcess>();
  const workers: StartedProcess[] = [];
  const workerMetrics = new Map<StartedProcess, string>();

  // SYSTEM_PROFILE_DIR=<dir>: every service and worker writes a V8 CPU profile there when it stops (bench/support/profile-top.ts reads them).
  const profileDir = process.env.SYSTEM_PROFILE_DIR;
  const nodeFlags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : undefined;
  // Every process runs with `switchboard up`'s tuning (the supervisor adds it); SYSTEM_WORKER_NODE_FLAGS='--trace-gc ...' adds to the workers' flags (memory experiments; the output goes to the system's log).
  const workerNodeFlags = [...(nodeFlags ?? []), ...(process.env.SYSTEM_WORKER_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
  // SYSTEM_SERVICE_NODE_FLAGS does the same for the three services.
  const serviceNodeFlags = [...(nodeFlags ?? []), ...(process.env.SYSTEM_SERVICE_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
  const startService = async (name: SystemName) => {
    services.set(name, await supervisor.start({ name, args: ['service', name], env: as(env, PRINCIPAL_NAMES.service(name)), nodeFlags: serviceNodeFlags, ready: () => httpAnswers(`${urls[name]}/readyz`) }));
  };
  const startWorker = async (connectors = options.connectors ?? []) => {
    // Workers on one machine need their own metrics ports (and must not take the default 9464 of a running `switchboard up`).
    const metricsPort = await freePort();
    const args = ['worker', '--metrics-port', String(metricsPort), ...(connectors.length ? ['--connector', ...connectors] : [])];
    const worker = await supervisor.start({ name: `worker${workers.length + 1}`, args, env: workerEnv, nodeFlags: workerNodeFlags, readyLine: /^worker running/ }, 120000);
    workers.push(worker);
    workerMetrics.set(worker, `http://127.0.0.1:${metricsPort}`);
    return worker;
  };

  let systemConsole: SystemConsole | undefined;
  try {
    for (const name of SYSTEM_NAMES) await startService(name);
    if (options.workerUrls) {
      const through = await options.workerUrls(urls);
      workerEnv = { ...workerEnv, ...Object.fromEntries(Object.entries(through).map(([name, url]) => [systemVariables(name as SystemName).url, url])) };
    }
    for (let i = 0; i < (options.workers ?? 1); i++) await startWorker();
    if (options.console) systemConsole = await startConsole(supervisor, as(env, PRINCIPAL_NAMES.console), dir, options.connectors ?? []);
  } catch (error) {
    await supervisor.stop();
    await registry.stop();
    await admin.close();
    throw new Error(`the system did not start: ${String(error)}\n${readFileSync(logFile, 'utf8').slice(-4000)}`);
  }

  return {
    prefix,
    bus: busConfig,
    redisUrl,
    urls,
    registryUrl,
    console: systemConsole,
    logFile,
    workers,
    startWorker,
    metricsUrls: () => ({
      registry: registryUrl,
      ...urls,
      ...Object.fromEntries(workers.filter((worker) => worker.child.exitCode === null && worker.child.signalCode === null).map((worker) => [worker.spec.name, workerMetrics.get(worker) ?? ''])),
    }),
    startCdc: (cdcEnv) => supervisor.start({ name: 'cdc', args: ['cdc'], env: { ...env, ...cdcEnv }, readyLine: /^cdc streaming/ }, 120000),
    stopProcess: (process, signal) => supervisor.stopOne(process, signal),
    stopService: async (name, signal = 'SIGTERM') => {
      const service = services.get(name);
      if (service) await supervisor.stopOne(service, signal);
      services.delete(name);
    },
    startService,
    logTail: (lines = 60) => readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n'),
    stop: async () => {
      await supervisor.stop();
      // SYSTEM_LOG_DIR=<folder> keeps every child's output of the run there (for a post-mortem).
      if (process.env.SYSTEM_LOG_DIR) copyFileSync(logFile, path.join(process.env.SYSTEM_LOG_DIR, `${prefix.replace(/\W/g, '')}.log`));
      await registry.stop();
      await admin.delete((await admin.list()).filter((name) => name.startsWith(prefix)));
      await admin.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The variables that point a process at a stack's Kafka and Redis (TLS and SASL too, when it has them). */
export function stackEnv(bus: BusConfig, redisUrl: string): NodeJS.ProcessEnv {
  return {
    KAFKA_BROKERS: bus.brokers.join(','),
    KAFKA_REPLICATION_FACTOR: String(bus.replicationFactor),
    KAFKA_MIN_INSYNC_REPLICAS: String(bus.minInsyncReplicas),
    KAFKA_SSL: String(bus.ssl),
    KAFKA_SSL_CA_FILE: bus.sslCaFile ?? '',
    KAFKA_SASL_MECHANISM: bus.sasl?.mechanism ?? '',
    KAFKA_SASL_USERNAME: bus.sasl?.username ?? '',
    KAFKA_SASL_PASSWORD: bus.sasl?.password ?? '',
    REDIS_URL: redisUrl,
  };
}

/** Starts `switchboard console` on a free port with a tokens file holding one token of each role. */
async function startConsole(supervisor: Supervisor, env: NodeJS.ProcessEnv, dir: string, connectors: readonly string[]): Promise<SystemConsole> {
  const port = await freePort();
  const tokensFile = path.join(dir, 'tokens.json');
  const store = TokenStore.fromFile(tokensFile);
  const tokens = Object.fromEntries(ROLES.map((role) => [role, store.create(`test-${role}`, role).token])) as Record<Role, string>;
  const url = `http://127.0.0.1:${port}`;
  const args = ['console', ...(connectors.length ? ['--connector', ...connectors] : [])];
  const consoleEnv = { ...env, ADMIN_PORT: String(port), SWITCHBOARD_TOKENS_FILE: tokensFile, TRACKING_DB_PATH: path.join(dir, 'tracking.db') };
  const started = await supervisor.start({ name: 'console', args, env: consoleEnv, ready: () => httpAnswers(`${url}/readyz`) }, 120000);
  return { url, tokens, process: started, cliEnv: { ...consoleEnv, SWITCHBOARD_ADMIN_URL: url, SWITCHBOARD_ADMIN_TOKEN_FILE: path.join(dir, 'no-admin-token') } };
}

/**
 * Runs a test body against `system`; a failure is rethrown with the last lines of every
 * child's output appended, so the report alone says what the processes did.
 *
 * @example
 * ```ts
 * it('confirms the order', () => withSystemLog(system, async () => {
 *   expect(await sys.salesOrders(order.id)).toHaveLength(1);
 * }));
 * ```
 */
export async function withSystemLog(system: RunningSystem, body: () => Promise<void>, lines = 120): Promise<void> {
  try {
    await body();
  } catch (error) {
    throw new Error(`${String(error instanceof Error ? error.stack ?? error.message : error)}\n--- system log tail ---\n${system.logTail(lines)}`, { cause: error });
  }
}
