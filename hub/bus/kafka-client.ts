import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import type { Logger } from '../log/logger.js';
import type { BusConfig } from './bus-config.js';
import { fixKafkajsEncoderAllocation } from './kafkajs-encoder-fix.js';
import { fixKafkajsIdleLoop } from './kafkajs-idle-fix.js';
import { CLIENT_RETRY } from './recovery-settings.js';

fixKafkajsIdleLoop();
fixKafkajsEncoderAllocation();

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'debug', // kafkajs is chatty at INFO; an operator does not need it.
  [logLevel.DEBUG]: 'debug',
};

const TRANSIENT = /does not host this topic-partition|not the leader|leadership election|There is no leader|coordinator is (loading|not available)|not the correct coordinator|rebalanc/i;

/**
 * What every client says, many times a second, while a broker is away: each producer, consumer
 * and admin client of a process logs each refused connection. The hub says it once in its own
 * words (a failed produce, a consumer restarting), so these go to debug.
 */
const UNREACHABLE = /ECONNREFUSED|ECONNRESET|EPIPE|Connection (error|timeout)|Failed to connect to seed broker|Closed connection|Response without match|Request .* timed out/i;

/**
 * The one place that constructs a kafkajs client. Everything else talks to the bus
 * through hub/bus's own interfaces, so kafkajs could be swapped for another client.
 */
export function createKafka(config: BusConfig, logger: Logger, clientIdSuffix?: string): Kafka {
  const kafkaConfig: KafkaConfig = {
    clientId: clientIdSuffix ? `${config.clientId}-${clientIdSuffix}` : config.clientId,
    brokers: [...config.brokers],
    // A local CA (the secure stack's) replaces the system CAs; certificate checks stay on.
    ssl: config.ssl && config.sslCaFile ? { ca: [readFileSync(config.sslCaFile, 'utf8')] } : config.ssl,
    logLevel: logLevel.WARN,
    retry: { ...CLIENT_RETRY },
    logCreator: () => (entry: LogEntry) => {
      const { message, ...extra } = entry.log;
      // Our producers bound retries on purpose (8, in BusProducer): a re-sent batch may then
      // duplicate, and every consumer deduplicates on ce_id. The warning is expected noise.
      if (message.startsWith('Limiting retries for the idempotent producer')) return;
      // Metadata races right after a topic is created or a leader moves: kafkajs retries them
      // itself, so they are not an operator's business unless they persist (then other errors follow).
      const transient = typeof extra.error === 'string' && TRANSIENT.test(extra.error);
      if (transient || UNREACHABLE.test(message)) return logger.debug({ kafkajs: entry.namespace, ...extra }, message);
      // A consumer kafkajs restarts by itself after an outage is a warning, not an error.
      const restarting = message.startsWith('Restarting the consumer') || (message.startsWith('Crash: ') && UNREACHABLE.test(message));
      logger[restarting ? 'warn' : (LEVELS[entry.level] ?? 'debug')]({ kafkajs: entry.namespace, ...extra }, message);
    },
  };
  if (config.sasl) {
    const { mechanism, username, password } = config.sasl;
    // A switch, because kafkajs types each mechanism as its own variant.
    switch (mechanism) {
      case 'plain':
        kafkaConfig.sasl = { mechanism, username, password };
        break;
      case 'scram-sha-256':
        kafkaConfig.sasl = { mechanism, username, password };
        break;
      case 'scram-sha-512':
        kafkaConfig.sasl = { mechanism, username, password };
        break;
    }
  }
  return new Kafka(kafkaConfig);
}
