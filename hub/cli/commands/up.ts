import path from 'node:path';
import type { Command } from 'commander';
import { parseExtras, provisionKafkaPrincipals, secureBusConfig, stackClientInput, stackDown, stackUp, writePrometheusTargets } from '../../../stack/index.js';
import { Bus, loadBusConfig } from '../../bus/index.js';
import { cdcConfigured } from '../../adapters/cdc/cdc-config.js';
import { loadWebhookSources, loadWebhooksConfig, webhooksConfigured } from '../../adapters/webhooks/index.js';
import { loadRegistryConfig } from '../../schema/registry/config.js';
import { kafkaPrincipals, PRINCIPAL_NAMES } from '../../security/kafka-principals.js';
import type { ManagedProcess } from '../../supervisor/supervisor.js';
import { CONNECTOR_CREDENTIALS_VARIABLE } from '../../runtime/connector-kafka-credentials.js';
import { SYSTEM_NAMES, type SystemName } from '../../../catalogue/index.js';
import { PROJECT_ROOT } from '../../config/project-root.js';
import { loadTopicPrefix } from '../../config/topic-prefix.js';
import { createLogger } from '../../log/logger.js';
import { Supervisor } from '../../supervisor/supervisor.js';
import { systemProcesses } from '../../supervisor/system-processes.js';
import { formatChildLine } from '../../supervisor/log-line.js';
import { metricsTargets } from '../../supervisor/metrics-targets.js';
import { applyTopics } from '../../../topics/provision.js';
import { ensureLocalAdminToken, loadAdminConfig, loadAdminTokenFile } from '../../admin/index.js';
import { provisionCredentials } from '../provision-credentials.js';
import type { SystemParts } from '../system-parts.js';

const say = (line: string): void => {
  process.stdout.write(`${formatChildLine('up', line)}\n`);
};

/**
 * `switchboard up`: the whole system on one machine, under one supervisor; Ctrl-C stops it all.
 * The local Prometheus comes with it (unless `--no-prometheus`), scraping every process it starts.
 */
export function registerUpCommand(program: Command, parts: Pick<SystemParts, 'servicePrincipals' | 'connectors'>): void {
  program
    .command('up')
    .description('start everything: local stack (Kafka, Redis, Prometheus), schema registry, topics, and the system processes; Ctrl-C stops all')
    .option('--no-prometheus', 'leave out the local Prometheus (started by default, scraping every process\'s /metrics)')
    .option('--secure', 'Kafka with TLS, SASL/SCRAM-SHA-512 and ACLs; one principal per service, connector, the worker, the registry and the admin API (env SWITCHBOARD_SECURE)')
    .action(async (flags: { prometheus: boolean; secure?: boolean }) => {
      // The stack's own extras (SWITCHBOARD_STACK_WITH), plus Prometheus unless left out.
      const extras = parseExtras([process.env.SWITCHBOARD_STACK_WITH ?? '']).extras.filter((extra) => flags.prometheus || extra !== 'prometheus');
      const stack = await stackUp({ progress: say, with: flags.prometheus ? [...new Set([...extras, 'prometheus' as const])] : extras, ...(flags.secure ? { secure: true } : {}) });
      const startedByUs = [stack.kafka.action, stack.redis.action].includes('started');
      const targetsDir = stack.prometheus?.targetsDir;
      process.env.KAFKA_BROKERS ??= stack.kafka.brokers.join(',');
      process.env.REDIS_URL ??= stack.redis.url;
      const credentials = await provisionCredentials(await parts.servicePrincipals());
      say(`credentials: ${credentials} (SERVICE_AUTH=${process.env.SERVICE_AUTH}; people use the "operator" token)`);

      const supervisor = new Supervisor(path.join(PROJECT_ROOT, 'bin', 'switchboard.js'), (line) => process.stdout.write(`${line}\n`));
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
        // Secure: topics are applied as the stack's admin; every process gets only its own login (identities below).
        const plain = loadBusConfig();
        const config = stack.kafka.secure ? { ...secureBusConfig(stackClientInput()), replicationFactor: plain.replicationFactor, minInsyncReplicas: plain.minInsyncReplicas } : plain;
        const identities = stack.kafka.secure ? await provisionSecureIdentities(await parts.connectors()) : undefined;
        const admin = new Bus(config, createLogger('up', { level: 'warn' })).admin();
        await admin.connect();
        try {
          const topics = await applyTopics(admin, { replicationFactor: config.replicationFactor, minInsyncReplicas: config.minInsyncReplicas, prefix: loadTopicPrefix() });
          say(`topics: ${topics.created.length} created, ${topics.updated.length} updated, ${topics.unchanged.length} unchanged`);
        } finally {
          await admin.close();
        }
        const tokens = loadAdminConfig().tokens;
        if ('file' in tokens) {
          // The token itself is never printed: only where the user (alone) can read it.
          const local = ensureLocalAdminToken(tokens.file, loadAdminTokenFile());
          say(`admin token ${local.created ? 'written to' : 'in'} ${path.relative(process.cwd(), local.path)} (the CLI reads it from there)`);
        }
        const processes = systemProcesses().map((spec) => (identities ? { ...spec, env: identities(spec) } : spec));
        for (const spec of processes) {
          if (interrupted) break;
          await supervisor.start(spec);
          say(`${spec.name} ready${spec.url ? ` at ${spec.url}` : ''}`);
          // Prometheus scrapes each process from the moment it is ready.
          if (targetsDir) for (const { job, target } of metricsTargets([spec])) writePrometheusTargets(targetsDir, job, [target]);
        }
        if (!interrupted) {
          say('Switchboard is up:');
          say(`  Kafka     ${stack.kafka.brokers.join(',')}`);
          say(`  Redis     ${stack.redis.url}`);
          for (const spec of processes) if (spec.url) say(`  ${spec.name.padEnd(9)} ${spec.url}`);
          if (stack.prometheus) say(`  ${'Prometheus'.padEnd(9)} ${stack.prometheus.url} (alerts: ${stack.prometheus.url}/alerts)`);
          say('Press Ctrl-C to stop everything.');
        }
      } catch (error) {
        say(`start failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
        await supervisor.stop();
      }

      const code = await supervisor.stopped();
      // A Prometheus that outlives us should not alert on processes stopped on purpose.
      if (targetsDir) for (const { job } of metricsTargets(systemProcesses())) writePrometheusTargets(targetsDir, job, []);
      if (startedByUs) {
        say('stopping the local stack ...');
        await stackDown({ progress: say });
      } else if (stack.prometheus?.action === 'started') {
        await stackDown({ progress: say, only: ['prometheus'] });
      }
      say('stopped.');
      process.exitCode = process.exitCode || code;
    });
}

/** The Kafka principal each supervised process logs in as (`switchboard up --secure`). */
const PROCESS_PRINCIPALS: Readonly<Record<string, string>> = {
  registry: PRINCIPAL_NAMES.registry,
  worker: PRINCIPAL_NAMES.worker,
  console: PRINCIPAL_NAMES.console,
  cdc: PRINCIPAL_NAMES.cdc,
  webhooks: PRINCIPAL_NAMES.webhooks,
  ...Object.fromEntries(SYSTEM_NAMES.map((name: SystemName) => [name, PRINCIPAL_NAMES.service(name)])),
};

/**
 * Provisions the principals of the secure stack (a SCRAM user each and the ACLs of
 * `kafkaPrincipals`) and returns each process's environment: the inherited one with only its own
 * KAFKA_SASL_* (+ KAFKA_SSL, KAFKA_SSL_CA_FILE), and for the worker the connectors' logins file.
 * Prints file paths, never a secret.
 */
async function provisionSecureIdentities(connectors: Parameters<typeof kafkaPrincipals>[0]['connectors']): Promise<(spec: ManagedProcess) => NodeJS.ProcessEnv> {
  // The webhook sources say which event types the webhooks process may publish.
  const webhooks = webhooksConfigured() ? loadWebhookSources(loadWebhooksConfig().dir).flatMap((source) => source.eventTypes) : undefined;
  const principals = kafkaPrincipals({ connectors, prefix: loadTopicPrefix(), cdc: cdcConfigured(), registryTopic: loadRegistryConfig().topic, ...(webhooks ? { webhooks } : {}) });
  say(`secure: ${principals.length} Kafka principals (SCRAM users and ACLs) ...`);
  const provisioned = await provisionKafkaPrincipals(principals);
  say(`secure: principals provisioned; connectors' logins in ${path.relative(process.cwd(), provisioned.connectorCredentialsFile)} (secret)`);
  return (spec) => {
    const username = PROCESS_PRINCIPALS[spec.name];
    // A process without a principal of its own gets no Kafka login: it cannot act as another.
    const login = username ? provisioned.envOf(username) : {};
    return {
      ...process.env,
      ...login,
      ...(spec.name === 'worker' ? { [CONNECTOR_CREDENTIALS_VARIABLE]: provisioned.connectorCredentialsFile } : {}),
    };
  };
}
