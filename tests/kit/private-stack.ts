/**
 * A stack of a test's own, beside the shared one (Kafka 127.0.0.1:9092 and Redis 6379 are never
 * touched): Kafka (one node or a three-node cluster, plain or secure) and Redis on free ports
 * with their state in a temporary folder, and Toxiproxy on request. Faults are injected here
 * only: a broker or Redis killed with SIGKILL and started again with the same data (Redis
 * comes back empty: it keeps nothing on disk).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadBusConfig, type BusConfig } from '../../hub/bus/index.js';
import { secureBusConfig, stackClientInput, stackDown, stackStatus, stackUp, type SecureClientFiles, type StackExtra } from '../../stack/index.js';
import { isRunning } from '../../stack/processes.js';
import { freePort } from './ports.js';
import { portAnswers } from '../../stack/probes.js';
import { eventually } from './isolation.js';

export interface PrivateStackOptions {
  /** Names the temporary folder. */
  readonly label: string;
  /** Kafka nodes of the stack's own: 1 or 3; 0 uses the shared Kafka. Default 1. */
  readonly brokers?: 0 | 1 | 3;
  /** Kafka with TLS, SASL/SCRAM and ACLs (`stack up --secure`). */
  readonly secure?: boolean;
  /** A Redis of the stack's own; false uses the shared Redis. Default true. */
  readonly redis?: boolean;
  /** Optional servers, e.g. `['toxiproxy']`. */
  readonly with?: readonly StackExtra[];
}

/** A running private stack; `stop()` ends every process it started and removes its folder. */
export interface PrivateStack {
  readonly dir: string;
  /** Bus settings of its Kafka (the admin's, when secure): replication 3 and min ISR 2 on a cluster. */
  readonly bus: BusConfig;
  readonly redisUrl: string;
  /** Node ids of its Kafka nodes (empty on the shared Kafka). */
  readonly nodeIds: readonly number[];
  /** The Toxiproxy API, when asked for. */
  readonly toxiproxyUrl: string | undefined;
  /** Where clients of the secure stack find the CA and credentials. */
  readonly secure: SecureClientFiles | undefined;
  /** The options the stack functions (ensureScramUser, ensureAcls, ...) need to find this stack. */
  readonly stackOptions: { readonly dir: string; readonly env: NodeJS.ProcessEnv };
  /** Kills Kafka node `nodeId` (default 1) with SIGKILL and waits until it is gone. */
  killBroker(nodeId?: number): Promise<void>;
  /** Starts the nodes that are down, with their data; resolves once every node answers a metadata request. */
  startBrokers(): Promise<void>;
  /** Kills its Redis with SIGKILL (it keeps nothing: it comes back empty). */
  killRedis(): Promise<void>;
  startRedis(): Promise<void>;
  stop(): Promise<void>;
}

/** The first port of `count` consecutive free ports in [from, from + 400). */
async function freePortRun(from: number, count: number): Promise<number> {
  const start = 2 * Math.floor(Math.random() * 180);
  for (let step = 0; step < 400; step += 2) {
    const base = from + ((start + step) % 400);
    let free = true;
    for (let i = 0; i < count && free; i++) free = !(await portAnswers(base + i));
    if (free) return base;
  }
  throw new Error(`no ${count} free ports from ${from}`);
}

/**
 * Starts a private stack.
 *
 * @example
 * ```ts
 * const stack = await startPrivateStack({ label: 'broker-crash' });
 * await stack.killBroker();
 * await stack.startBrokers();
 * await stack.stop();
 * ```
 */
export async function startPrivateStack(options: PrivateStackOptions): Promise<PrivateStack> {
  const brokers = options.brokers ?? 1;
  const ownRedis = options.redis ?? true;
  const dir = mkdtempSync(path.join(tmpdir(), `swb-${options.label}-`));
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['KAFKA_BROKERS', 'REDIS_URL', 'SWITCHBOARD_KAFKA_PORT', 'SWITCHBOARD_REDIS_PORT', 'SWITCHBOARD_BROKERS', 'SWITCHBOARD_STACK_DIR', 'SWITCHBOARD_STACK_WITH', 'SWITCHBOARD_SECURE', 'SWITCHBOARD_TOXIPROXY_PORT']) delete env[name];
  const shared = loadBusConfig();
  if (brokers === 0) env.KAFKA_BROKERS = shared.brokers.join(',');
  if (!ownRedis) env.REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const layout = {
    dir,
    env,
    brokers: brokers === 0 ? 1 : brokers,
    kafkaPort: brokers === 0 ? undefined : await freePortRun(31000 + Math.floor(Math.random() * 20) * 100, 2 * brokers),
    redisPort: ownRedis ? await freePort() : undefined,
    toxiproxyPort: options.with?.includes('toxiproxy') ? await freePort() : undefined,
    secure: options.secure ?? false,
    with: options.with ?? [],
  };
  const up = () => stackUp(layout);
  let started;
  try {
    started = await up();
  } catch (error) {
    await stackDown({ dir, env }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const stackOptions = { dir, env };
  const cluster = brokers === 3;
  const bus: BusConfig = brokers === 0
    ? shared
    : options.secure
      ? { ...secureBusConfig(stackClientInput(stackOptions)), replicationFactor: cluster ? 3 : 1, minInsyncReplicas: cluster ? 2 : 1 }
      : { ...shared, brokers: started.kafka.brokers, replicationFactor: cluster ? 3 : 1, minInsyncReplicas: cluster ? 2 : 1 };

  const pidOf = async (what: 'kafka' | 'redis', nodeId = 1): Promise<number | undefined> => {
    const status = await stackStatus(stackOptions);
    return what === 'redis' ? status.redis.pid : status.kafka.nodes.find((node) => node.nodeId === nodeId)?.pid;
  };
  const kill = async (what: 'kafka' | 'redis', nodeId?: number): Promise<void> => {
    const pid = await pidOf(what, nodeId);
    if (pid === undefined) throw new Error(`the private stack's ${what}${nodeId ? ` node ${nodeId}` : ''} is not running`);
    process.kill(pid, 'SIGKILL');
    await eventually(() => (isRunning(pid) ? undefined : true), 30_000, `${what} (pid ${pid}) to die`);
  };

  return {
    dir,
    bus,
    redisUrl: started.redis.url,
    nodeIds: brokers === 0 ? [] : started.kafka.nodes.map((node) => node.nodeId),
    toxiproxyUrl: started.toxiproxy?.url,
    secure: started.kafka.secure,
    stackOptions,
    killBroker: (nodeId = 1) => kill('kafka', nodeId),
    startBrokers: async () => {
      await up();
    },
    killRedis: () => kill('redis'),
    startRedis: async () => {
      await up();
    },
    stop: async () => {
      await stackDown(stackOptions);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
