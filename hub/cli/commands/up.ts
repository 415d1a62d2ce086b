import path from 'node:path';
import type { Command } from 'commander';
import { stackDown, stackUp } from '../../../stack/index.js';
import { Bus, loadBusConfig } from '../../bus/index.js';
import { loadTopicPrefix } from '../../config/topic-prefix.js';
import { createLogger } from '../../log/logger.js';
import { Supervisor } from '../../supervisor/supervisor.js';
import { systemProcesses } from '../../supervisor/system-processes.js';
import { formatChildLine } from '../../supervisor/log-line.js';
import { applyTopics } from '../../../topics/provision.js';
import { provisionCredentials } from '../provision-credentials.js';
import type { SystemParts } from '../system-parts.js';

const say = (line: string): void => {
  process.stdout.write(`${formatChildLine('up', line)}\n`);
};

/** `switchboard up`: the whole system on one machine, under one supervisor; Ctrl-C stops it all. */
export function registerUpCommand(program: Command, parts: Pick<SystemParts, 'servicePrincipals'>): void {
  program
    .command('up')
    .description('start everything: local stack (Kafka, Redis), schema registry, topics, and the system processes; Ctrl-C stops all')
    .action(async () => {
      const stack = await stackUp({ progress: say });
      const startedByUs = [stack.kafka.action, stack.redis.action].includes('started');
      process.env.KAFKA_BROKERS ??= stack.kafka.brokers.join(',');
      process.env.REDIS_URL ??= stack.redis.url;
      const credentials = await provisionCredentials(await parts.servicePrincipals());
      say(`credentials: ${credentials} (SERVICE_AUTH=${process.env.SERVICE_AUTH}; people use the "operator" token)`);

      const supervisor = new Supervisor(path.resolve(import.meta.dirname, '../../../bin/switchboard.js'), (line) => process.stdout.write(`${line}\n`));
      let interrupted = false;
      const shutdown = () => {
        if (interrupted) return;
        interrupted = true;
        say('stopping ...');
        void supervisor.stop();
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);

      try {
        const config = loadBusConfig();
        const admin = new Bus(config, createLogger('up', { level: 'warn' })).admin();
        await admin.connect();
        try {
          const topics = await applyTopics(admin, { replicationFactor: config.replicationFactor, minInsyncReplicas: config.minInsyncReplicas, prefix: loadTopicPrefix() });
          say(`topics: ${topics.created.length} created, ${topics.updated.length} updated, ${topics.unchanged.length} unchanged`);
        } finally {
          await admin.close();
        }
        const processes = systemProcesses();
        for (const spec of processes) {
          if (interrupted) break;
          await supervisor.start(spec);
          say(`${spec.name} ready${spec.url ? ` at ${spec.url}` : ''}`);
        }
        if (!interrupted) {
          say('Switchboard is up:');
          say(`  Kafka     ${stack.kafka.brokers.join(',')}`);
          say(`  Redis     ${stack.redis.url}`);
          for (const spec of processes) if (spec.url) say(`  ${spec.name.padEnd(9)} ${spec.url}`);
          say('Press Ctrl-C to stop everything.');
        }
      } catch (error) {
        say(`start failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
        await supervisor.stop();
      }

      const code = await supervisor.stopped();
      if (startedByUs) {
        say('stopping the local stack ...');
        await stackDown({ progress: say });
      }
      say('stopped.');
      process.exitCode = process.exitCode || code;
    });
}
