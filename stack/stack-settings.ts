import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { loadConfig, port } from '../hub/config/load-config.js';
import { kafkaNodes, type KafkaNode } from './kafka-config.js';

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
}

/** Everything the stack functions need, resolved from options, environment and defaults. */
export interface StackSettings {
  readonly dir: string;
  readonly brokers: number;
  readonly kafkaPort: number;
  readonly redisPort: number;
  readonly clusterDir: string;
  readonly nodes: readonly KafkaNode[];
  readonly redisDir: string;
  /** `KAFKA_BROKERS` when set: Kafka is someone else's and nothing is started for it. */
  readonly externalKafka: string | undefined;
  /** `REDIS_URL` when set: Redis is someone else's and nothing is started for it. */
  readonly externalRedis: string | undefined;
}

/** The repository root (this file lives in `<repo>/stack/`). */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

const settingsShape = {
  SWITCHBOARD_STACK_DIR: z.string().default('').describe('folder for the local stack state (data, logs, pids)'),
  SWITCHBOARD_BROKERS: z.coerce.number().int().min(1).max(9).default(1).describe('number of local Kafka nodes, 1 or 3'),
  SWITCHBOARD_KAFKA_PORT: port.default(9092).describe('client port of the first local Kafka node'),
  SWITCHBOARD_REDIS_PORT: port.default(6379).describe('port of the local Redis'),
};

/** The layout `stackUp` last used in a state folder, so `status` describes what runs. */
export interface RecordedLayout {
  readonly brokers: number;
  readonly kafkaPort: number;
  readonly redisPort: number;
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

/** Folder of one cluster layout; a 3-node cluster never shares data with the single node. */
export function clusterDirName(brokers: number): string {
  return brokers === 1 ? 'kafka' : `kafka-${brokers}-nodes`;
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
  const clusterDir = join(dir, clusterDirName(brokers));
  return {
    dir,
    brokers,
    kafkaPort,
    redisPort,
    clusterDir,
    nodes: kafkaNodes(brokers, kafkaPort, clusterDir),
    redisDir: join(dir, 'redis'),
    externalKafka: env.KAFKA_BROKERS,
    externalRedis: env.REDIS_URL,
  };
}
