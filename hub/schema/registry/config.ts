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
}

const shape = {
  SCHEMA_REGISTRY_HOST: z.string().min(1).default('127.0.0.1').describe('address the registry listens on; 0.0.0.0 for all interfaces'),
  SCHEMA_REGISTRY_PORT: port.default(8081).describe('port the registry listens on'),
  SCHEMA_REGISTRY_TOPIC: z.string().min(1).default(INTERNAL_TOPICS.schemas).describe('compacted topic the registry stores its schemas in'),
  SCHEMA_REGISTRY_DEFAULT_COMPATIBILITY: z
    .enum(COMPATIBILITY_LEVELS)
    .default(DEFAULT_COMPATIBILITY)
    .describe('global compatibility level until one is set with PUT /config'),
};

/** Reads `SCHEMA_REGISTRY_*`; throws a ConfigError naming the variable when one is unusable. */
export function loadRegistryConfig(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  const raw = loadConfig('schema registry', shape, env);
  return Object.freeze({
    host: raw.SCHEMA_REGISTRY_HOST,
    port: raw.SCHEMA_REGISTRY_PORT,
    topic: raw.SCHEMA_REGISTRY_TOPIC,
    defaultCompatibility: raw.SCHEMA_REGISTRY_DEFAULT_COMPATIBILITY,
  });
}
