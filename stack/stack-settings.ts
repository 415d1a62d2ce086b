import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { flag, loadConfig, port } from '../hub/config/load-config.js';
import { PROJECT_ROOT } from '../hub/config/project-root.js';
import { kafkaNodes, type KafkaNode } from './kafka-config.js';
import { parseExtras, type StackExtra } from './stack-extras.js';

export type { StackExtra } from './stack-extras.js';

/** Options of `stackUp` / `stackStatus` / `stackDown`; each falls back to its environment variable. */
export interface StackOptions {
  /** State folder (data, logs, pids). Env `SWITCHBOARD_STACK_DIR`; default `<repo>/.switchboard/stack`. */
  readonly dir?: string;
  /** Number of Kafka nodes (1, or 3 for a replicated cluster). Env `SWITCHBOARD_BROKERS`; default 1. */
  readonly brokers?: number;
  /** Client port of the first Kafka node (node i uses port + 2(i-1), controller the next port). Env `SWITCHBOARD_KAFKA_PORT`; default 9092. */
  readonly kafkaPort?: number;
  /** Redis port. Env `SWITCHBOARD_REDIS_PORT`; default 6379. */
  readonly redisPort?: number;
  /** Environment to read (tests pass their own); default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Receives one line per step worth telling a person (downloads, starts, waits). */
  readonly progress?: (line: string) => void;
  /** How long `stackUp` waits for Kafka to answer; default 90 s. */
  readonly kafkaTimeoutMs?: number;
  /** Optional parts to start beside Kafka and Redis. Env `SWITCHBOARD_STACK_WITH` (comma-separated); default none. */
  readonly with?: readonly StackExtra[];
  /** Kafka with TLS, SASL/SCRAM-SHA-512 and ACLs (its own cluster folder). Env `SWITCHBOARD_SECURE`; default false. */
  readonly secure?: boolean;
  /** PostgreSQL port (`--with postgres`). Env `SWITCHBOARD_POSTGRES_PORT`; default 5432. */
  readonly postgresPort?: number;
  /** Prometheus port (`--with prometheus`). Env `SWITCHBOARD_PROMETHEUS_PORT`; default 9090. */
  readonly prometheusPort?: number;
  /** Toxiproxy API port (`--with toxiproxy`). Env `SWITCHBOARD_TOXIPROXY_PORT`; default 8474. */
  readonly toxiproxyPort?: number;
}

/** Everything the stack functions need, resolved from options, environment and defaults. */
export interface StackSettings {
  readonly dir: string;
  readonly brokers: number;
  readonly kafkaPort: number;
  readonly redisPort: number;
  readonly postgresPort: number;
  readonly prometheusPort: number;
  readonly toxiproxyPort: number;
  /** The optional parts asked for (or, for status, recorded by the last `up`). */
  readonly extras: readonly StackExtra[];
  /** Kafka runs with TLS + SASL/SCRAM + ACLs. */
  readonly secure: boolean;
  readonly clusterDir: string;
  readonly nodes: readonly KafkaNode[];
  readonly redisDir: string;
  /** `<dir>/postgres`: the cluster in `data/`, its log and pid beside it. */
  readonly postgresDir: string;
  /** `<dir>/prometheus`: prometheus.yml, targets/*.json, data/. */
  readonly prometheusDir: string;
  readonly toxiproxyDir: string;
  /** `<dir>/tls`: the local CA and the broker's keystore/truststore (secure mode). */
  readonly tlsDir: string;
  /** `<dir>/secure`: credentials.json and client.env (secure mode; mode 0600). */
  readonly secureDir: string;
  /** `KAFKA_BROKERS` when set: Kafka is someone else's and nothing is started for it. */
  readonly externalKafka: string | undefined;
  /** `REDIS_URL` when set: Redis is someone else's and nothing is started for it. */
  readonly externalRedis: string | undefined;
}

/** The repository root (this file lives in `<repo>/stack/`). */
export const REPO_ROOT = PROJECT_ROOT;

const settingsShape = {
  SWITCHBOARD_STACK_DIR: z.string().default('').describe('folder for the local stack state (data, logs, pids)'),
  SWITCHBOARD_BROKERS: z.coerce.number().int().min(1).max(9).default(1).describe('number of local Kafka nodes, 1 or 3'),
  SWITCHBOARD_KAFKA_PORT: port.default(9092).describe('client port of the first local Kafka node'),
  SWITCHBOARD_REDIS_PORT: port.default(6379).describe('port of the local Redis'),
  SWITCHBOARD_POSTGRES_PORT: port.default(5432).describe('port of the local PostgreSQL (stack up --with postgres)'),
  SWITCHBOARD_PROMETHEUS_PORT: port.default(9090).describe('port of the local Prometheus (stack up --with prometheus)'),
  SWITCHBOARD_TOXIPROXY_PORT: port.default(8474).describe('API port of the local Toxiproxy (stack up --with toxiproxy)'),
  SWITCHBOARD_STACK_WITH: z
    .string()
    .default('')
    .refine((value) => parseExtras([value]).ok, { message: 'must be a comma-separated list of postgres, prometheus, toxiproxy' })
    .describe('optional parts to start with the stack, e.g. postgres,prometheus'),
  SWITCHBOARD_SECURE: flag.default(false).describe('true to run Kafka with TLS, SASL/SCRAM-SHA-512 and ACLs'),
};

/** The layout `stackUp` last used in a state folder, so `status` describes what runs. */
export interface RecordedLayout {
  readonly brokers: number;
  readonly kafkaPort: number;
  readonly redisPort: number;
  readonly secure?: boolean;
  readonly with?: readonly StackExtra[];
  readonly postgresPort?: number;
  readonly prometheusPort?: number;
  readonly toxiproxyPort?: number;
}

/** Name of the file in the state folder recording the layout `up` used. */
export const LAYOUT_FILE = 'stack.json';

export function readLayout(dir: string): RecordedLayout | undefined {
  const file = join(dir, LAYOUT_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RecordedLayout;
  } catch {
    return undefined;
  }
}

/**
 * Folder of one cluster layout; a 3-node cluster never shares data with the single node, and a
 * secure cluster (formatted with its SCRAM admin) never with a plain one.
 */
export function clusterDirName(brokers: number, secure = false): string {
  return `${brokers === 1 ? 'kafka' : `kafka-${brokers}-nodes`}${secure ? '-secure' : ''}`;
}

/**
 * Resolves the settings: explicit options, then environment, then (with `useRecorded`, for
 * status) the layout the last `up` recorded, then defaults.
 */
export function resolveStackSettings(options: StackOptions, useRecorded = false): StackSettings {
  const env = options.env ?? process.env;
  const config = loadConfig('stack', settingsShape, env);
  const dir = resolve(options.dir ?? (config.SWITCHBOARD_STACK_DIR || join(REPO_ROOT, '.switchboard', 'stack')));
  const recorded = useRecorded ? readLayout(dir) : undefined;
  const pick = (option: number | undefined, variable: string, fromEnv: number, fromLayout: number | undefined): number =>
    option ?? (env[variable] ? fromEnv : (fromLayout ?? fromEnv));
  const brokers = pick(options.brokers, 'SWITCHBOARD_BROKERS', config.SWITCHBOARD_BROKERS, recorded?.brokers);
  const kafkaPort = pick(options.kafkaPort, 'SWITCHBOARD_KAFKA_PORT', config.SWITCHBOARD_KAFKA_PORT, recorded?.kafkaPort);
  const redisPort = pick(options.redisPort, 'SWITCHBOARD_REDIS_PORT', config.SWITCHBOARD_REDIS_PORT, recorded?.redisPort);
  const postgresPort = pick(options.postgresPort, 'SWITCHBOARD_POSTGRES_PORT', config.SWITCHBOARD_POSTGRES_PORT, recorded?.postgresPort);
  const prometheusPort = pick(options.prometheusPort, 'SWITCHBOARD_PROMETHEUS_PORT', config.SWITCHBOARD_PROMETHEUS_PORT, recorded?.prometheusPort);
  const toxiproxyPort = pick(options.toxiproxyPort, 'SWITCHBOARD_TOXIPROXY_PORT', config.SWITCHBOARD_TOXIPROXY_PORT, recorded?.toxiproxyPort);
  const extrasFromEnv = parseExtras([config.SWITCHBOARD_STACK_WITH]);
  const extras = options.with ?? (env.SWITCHBOARD_STACK_WITH ? extrasFromEnv.extras : (recorded?.with ?? []));
  const secure = options.secure ?? (env.SWITCHBOARD_SECURE ? config.SWITCHBOARD_SECURE : (recorded?.secure ?? false));
  const clusterDir = join(dir, clusterDirName(brokers, secure));
  return {
    dir,
    brokers,
    kafkaPort,
    redisPort,
    postgresPort,
    prometheusPort,
    toxiproxyPort,
    extras: [...new Set(extras)],
    secure,
    clusterDir,
    nodes: kafkaNodes(brokers, kafkaPort, clusterDir),
    redisDir: join(dir, 'redis'),
    postgresDir: join(dir, 'postgres'),
    prometheusDir: join(dir, 'prometheus'),
    toxiproxyDir: join(dir, 'toxiproxy'),
    tlsDir: join(dir, 'tls'),
    secureDir: join(dir, 'secure'),
    externalKafka: env.KAFKA_BROKERS,
    externalRedis: env.REDIS_URL,
  };
}
