import { z } from 'zod';
import { loadConfig, port } from '../../config/load-config.js';
import { INTERNAL_TOPICS } from '../../../catalogue/index.js';
import { COMPATIBILITY_LEVELS, DEFAULT_COMPATIBILITY, type CompatibilityLevel } from '../compatibility/index.js';

/** Settings of the built-in registry process. */
export interface RegistryConfig {
  readonly host: string;
  readonly port: number;
  readonly topic: string;
  readonly defaultCompatibility: CompatibilityLevel;
  /** The URL other instances forward writes to; undefined: derived from host and port (see advertisedUrl). */
  readonly advertisedUrl: string | undefined;
  /** The consumer group that elects the writer; undefined: {@link defaultElectionGroup} of the topic. */
  readonly groupId: string | undefined;
  /** How long a silent writer keeps the role before another instance takes over. */
  readonly electionTimeoutMs: number;
  /** How long a write waits for a reachable writer before it is answered 503 (50003). */
  readonly writerWaitMs: number;
}

const shape = {
  SCHEMA_REGISTRY_HOST: z.string().min(1).default('127.0.0.1').describe('address the registry listens on; 0.0.0.0 for all interfaces'),
  SCHEMA_REGISTRY_PORT: port.default(8081).describe('port the registry listens on'),
  SCHEMA_REGISTRY_TOPIC: z.string().min(1).default(INTERNAL_TOPICS.schemas).describe('compacted topic the registry stores its schemas in'),
  SCHEMA_REGISTRY_DEFAULT_COMPATIBILITY: z
    .enum(COMPATIBILITY_LEVELS)
    .default(DEFAULT_COMPATIBILITY)
    .describe('global compatibility level until one is set with PUT /config'),
  SCHEMA_REGISTRY_ADVERTISED_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://registry-1.internal:8081' })
    .optional()
    .describe('URL at which the other registry instances reach this one to forward writes; default http://<host>:<port>, with the machine name for 0.0.0.0'),
  SCHEMA_REGISTRY_GROUP_ID: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .optional()
    .describe('Kafka consumer group that elects the writer among instances on the same topic; default switchboard-schema-registry.<topic>'),
  SCHEMA_REGISTRY_ELECTION_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(6000, 'must be at least 6000 ms (the broker\'s default group.min.session.timeout.ms)')
    .max(300_000, 'must be at most 300000 ms')
    .default(10_000)
    .describe('how long a crashed writer keeps the role before another instance takes over (group session timeout)'),
  SCHEMA_REGISTRY_WRITER_WAIT_MS: z.coerce
    .number()
    .int()
    .min(0, 'must be 0 or more milliseconds')
    .max(120_000, 'must be at most 120000 ms')
    .default(5000)
    .describe('how long a write waits for a reachable writer before answering 503 with error_code 50003'),
};

/** Reads `SCHEMA_REGISTRY_*`; throws a ConfigError naming the variable when one is unusable. */
export function loadRegistryConfig(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  const raw = loadConfig('schema registry', shape, env);
  return Object.freeze({
    host: raw.SCHEMA_REGISTRY_HOST,
    port: raw.SCHEMA_REGISTRY_PORT,
    topic: raw.SCHEMA_REGISTRY_TOPIC,
    defaultCompatibility: raw.SCHEMA_REGISTRY_DEFAULT_COMPATIBILITY,
    advertisedUrl: raw.SCHEMA_REGISTRY_ADVERTISED_URL?.replace(/\/+$/, ''),
    groupId: raw.SCHEMA_REGISTRY_GROUP_ID,
    electionTimeoutMs: raw.SCHEMA_REGISTRY_ELECTION_TIMEOUT_MS,
    writerWaitMs: raw.SCHEMA_REGISTRY_WRITER_WAIT_MS,
  });
}

/**
 * The election group of a store topic: instances elect together exactly when they share the
 * topic, with no setting to keep in step.
 */
export const defaultElectionGroup = (topic: string): string => `switchboard-schema-registry.${topic}`;
