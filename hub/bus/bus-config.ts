import { accessSync, constants } from 'node:fs';
import { z } from 'zod';
import { flag, hostPortList, loadConfig, type ConfigProblem } from '../config/load-config.js';

const busShape = {
  KAFKA_BROKERS: hostPortList.default(['127.0.0.1:9092']).describe('comma-separated Kafka bootstrap servers, e.g. 127.0.0.1:9092'),
  KAFKA_CLIENT_ID: z.string().min(1).default('switchboard').describe('client id reported to the broker'),
  KAFKA_SSL: flag.default(false).describe('true to connect with TLS'),
  KAFKA_SSL_CA_FILE: z.string().default('').describe('PEM file of the CA that signed the brokers\' certificates (e.g. .switchboard/stack/tls/ca.pem); empty for the system CAs'),
  KAFKA_SASL_MECHANISM: z
    .enum(['plain', 'scram-sha-256', 'scram-sha-512', ''])
    .default('')
    .describe('SASL mechanism: plain, scram-sha-256 or scram-sha-512; empty for none'),
  KAFKA_SASL_USERNAME: z.string().default('').describe('SASL user name, required with KAFKA_SASL_MECHANISM'),
  KAFKA_SASL_PASSWORD: z.string().default('').describe('SASL password, required with KAFKA_SASL_MECHANISM'),
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).default(1).describe('replication factor of the topics Switchboard creates (3 in production)'),
  KAFKA_MIN_INSYNC_REPLICAS: z.coerce.number().int().min(1).default(1).describe('min.insync.replicas of the topics Switchboard creates (2 in production)'),
};

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/** Connection settings of the bus, validated once at start-up. */
export interface BusConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly ssl: boolean;
  /** PEM file of the CA to trust instead of the system CAs (with `ssl`). */
  readonly sslCaFile?: string;
  readonly sasl?: { readonly mechanism: SaslMechanism; readonly username: string; readonly password: string };
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
}

/**
 * Reads the bus configuration from `KAFKA_*` variables. Throws a ConfigError naming the
 * variable to set when a value is unusable.
 */
export function loadBusConfig(env: NodeJS.ProcessEnv = process.env): BusConfig {
  const raw = loadConfig('bus', busShape, env, (value) => {
    const problems: ConfigProblem[] = [];
    if (value.KAFKA_SASL_MECHANISM) {
      for (const variable of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
        if (!value[variable]) problems.push({ variable, message: 'required when KAFKA_SASL_MECHANISM is set' });
      }
    }
    if (value.KAFKA_SSL_CA_FILE) {
      if (!value.KAFKA_SSL) problems.push({ variable: 'KAFKA_SSL_CA_FILE', message: 'is set, but KAFKA_SSL is not true: set KAFKA_SSL=true to use TLS' });
      else if (!readable(value.KAFKA_SSL_CA_FILE)) problems.push({ variable: 'KAFKA_SSL_CA_FILE', message: `cannot read ${value.KAFKA_SSL_CA_FILE}` });
    }
    if (value.KAFKA_MIN_INSYNC_REPLICAS > value.KAFKA_REPLICATION_FACTOR) {
      problems.push({ variable: 'KAFKA_MIN_INSYNC_REPLICAS', message: `must not exceed KAFKA_REPLICATION_FACTOR (${value.KAFKA_REPLICATION_FACTOR})` });
    }
    return problems;
  });
  const mechanism = raw.KAFKA_SASL_MECHANISM;
  return Object.freeze({
    brokers: Object.freeze([...raw.KAFKA_BROKERS]),
    clientId: raw.KAFKA_CLIENT_ID,
    ssl: raw.KAFKA_SSL,
    ...(raw.KAFKA_SSL_CA_FILE ? { sslCaFile: raw.KAFKA_SSL_CA_FILE } : {}),
    ...(mechanism ? { sasl: { mechanism, username: raw.KAFKA_SASL_USERNAME, password: raw.KAFKA_SASL_PASSWORD } } : {}),
    replicationFactor: raw.KAFKA_REPLICATION_FACTOR,
    minInsyncReplicas: raw.KAFKA_MIN_INSYNC_REPLICAS,
  });
}

function readable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
