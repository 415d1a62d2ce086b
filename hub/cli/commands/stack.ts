import { InvalidArgumentError, type Command } from 'commander';
import {
  parseExtras,
  stackDown,
  stackStatus,
  stackUp,
  STACK_EXTRAS,
  type StackComponent,
  type StackExtra,
  type StackOptions,
  type StackStatus,
  type StackUpResult,
} from '../../../stack/index.js';

interface StackFlags {
  dir?: string;
  brokers?: number;
  kafkaPort?: number;
  redisPort?: number;
  postgresPort?: number;
  prometheusPort?: number;
  toxiproxyPort?: number;
  with?: StackExtra[];
  secure?: boolean;
  json?: boolean;
  only?: StackComponent[];
}

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) throw new InvalidArgumentError('must be a positive integer');
  return parsed;
}

// Progress goes to stderr so that `--json` output on stdout stays machine-readable.
const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const COMPONENTS: readonly string[] = ['kafka', 'redis', ...STACK_EXTRAS];

function component(value: string, previous: StackComponent[] = []): StackComponent[] {
  if (!COMPONENTS.includes(value)) throw new InvalidArgumentError(`must be one of ${COMPONENTS.join(', ')}`);
  return [...previous, value as StackComponent];
}

// `--with postgres --with prometheus` and `--with postgres,prometheus` alike.
function extras(value: string, previous: StackExtra[] = []): StackExtra[] {
  const parsed = parseExtras([value]);
  if (!parsed.ok) throw new InvalidArgumentError(`${parsed.unknown.join(', ')}: must be ${STACK_EXTRAS.join(', ')} (several: repeat --with or separate with commas)`);
  return [...new Set([...previous, ...parsed.extras])];
}

function toOptions(flags: StackFlags): StackOptions {
  return {
    ...(flags.dir !== undefined ? { dir: flags.dir } : {}),
    ...(flags.brokers !== undefined ? { brokers: flags.brokers } : {}),
    ...(flags.kafkaPort !== undefined ? { kafkaPort: flags.kafkaPort } : {}),
    ...(flags.redisPort !== undefined ? { redisPort: flags.redisPort } : {}),
    ...(flags.postgresPort !== undefined ? { postgresPort: flags.postgresPort } : {}),
    ...(flags.prometheusPort !== undefined ? { prometheusPort: flags.prometheusPort } : {}),
    ...(flags.toxiproxyPort !== undefined ? { toxiproxyPort: flags.toxiproxyPort } : {}),
    ...(flags.with !== undefined ? { with: flags.with } : {}),
    ...(flags.secure !== undefined ? { secure: flags.secure } : {}),
    progress,
  };
}

const ACTION_WORDS: Record<StackUpResult['kafka']['action'], string> = {
  started: 'started',
  'already-running': 'already running',
  'using-existing': 'already answering on its port (not started by this stack; using it)',
  external: 'external (KAFKA_BROKERS / REDIS_URL set; nothing started)',
};

const EXTRA_NAMES: Record<StackExtra, string> = { postgres: 'PostgreSQL', prometheus: 'Prometheus', toxiproxy: 'Toxiproxy' };

function describeUp(result: StackUpResult): string {
  const lines = [`Kafka ${result.kafka.brokers.join(',')}: ${ACTION_WORDS[result.kafka.action]}`];
  for (const node of result.kafka.nodes) {
    lines.push(`  node ${node.nodeId} 127.0.0.1:${node.port} ${ACTION_WORDS[node.action]}${node.pid ? ` pid ${node.pid}; log ${node.logFile}` : ''}`);
  }
  if (result.kafka.secure) {
    const secure = result.kafka.secure;
    lines.push(`  TLS + SASL/${secure.saslMechanism.toUpperCase()} + ACLs; CA ${secure.caFile}; admin \`${secure.adminUser}\` in ${secure.clientEnvFile} (secret)`);
  }
  lines.push(`Redis ${result.redis.url}: ${ACTION_WORDS[result.redis.action]}${result.redis.pid ? ` pid ${result.redis.pid}` : ''}${result.redis.logFile ? `; log ${result.redis.logFile}` : ''}`);
  for (const extra of STACK_EXTRAS) {
    const state = result[extra];
    if (state) lines.push(`${EXTRA_NAMES[extra]} ${state.url}: ${ACTION_WORDS[state.action]}${state.pid ? ` pid ${state.pid}` : ''}; log ${state.logFile}${state.targetsDir ? `; targets ${state.targetsDir}` : ''}`);
  }
  lines.push(`State and logs: ${result.dir}`);
  return `${lines.join('\n')}\n`;
}

function describeStatus(status: StackStatus): string {
  const answer = (ok: boolean): string => (ok ? 'answering' : 'NOT answering');
  const lines = [`Kafka ${status.kafka.brokers.join(',')}: ${answer(status.kafka.answering)}${status.kafka.managed ? '' : ' (external, KAFKA_BROKERS)'}${status.kafka.secure ? ' (TLS + SASL/SCRAM + ACLs)' : ''}`];
  for (const node of status.kafka.nodes) {
    const owner = node.pid ? `pid ${node.pid}` : node.portAnswering ? 'not started by this stack' : 'not running';
    lines.push(`  node ${node.nodeId} 127.0.0.1:${node.port}: ${owner}, port ${node.portAnswering ? 'open' : 'closed'}${node.pid ? `; log ${node.logFile}` : ''}`);
  }
  const redisOwner = !status.redis.managed ? ' (external, REDIS_URL)' : status.redis.pid ? `, pid ${status.redis.pid}; log ${status.redis.logFile}` : status.redis.answering ? ', not started by this stack' : '';
  lines.push(`Redis ${status.redis.url}: ${answer(status.redis.answering)}${redisOwner}`);
  for (const extra of STACK_EXTRAS) {
    const state = status[extra];
    if (state) lines.push(`${EXTRA_NAMES[extra]} ${state.url}: ${answer(state.answering)}${state.pid ? `, pid ${state.pid}; log ${state.logFile}` : state.answering ? ', not started by this stack' : ''}`);
  }
  lines.push(`State: ${status.dir}`);
  return `${lines.join('\n')}\n`;
}

const withLayoutOptions = (command: Command): Command =>
  command
    .option('--dir <path>', 'state folder (data, logs, pids); env SWITCHBOARD_STACK_DIR; default .switchboard/stack')
    .option('--brokers <n>', 'number of Kafka nodes (1, or 3 for a replicated cluster); env SWITCHBOARD_BROKERS', positiveInt)
    .option('--kafka-port <port>', 'client port of the first Kafka node; env SWITCHBOARD_KAFKA_PORT; default 9092', positiveInt)
    .option('--redis-port <port>', 'Redis port; env SWITCHBOARD_REDIS_PORT; default 6379', positiveInt)
    .option('--postgres-port <port>', 'PostgreSQL port (--with postgres); env SWITCHBOARD_POSTGRES_PORT; default 5432', positiveInt)
    .option('--prometheus-port <port>', 'Prometheus port (--with prometheus); env SWITCHBOARD_PROMETHEUS_PORT; default 9090', positiveInt)
    .option('--toxiproxy-port <port>', 'Toxiproxy API port (--with toxiproxy); env SWITCHBOARD_TOXIPROXY_PORT; default 8474', positiveInt)
    .option('--secure', 'Kafka with TLS, SASL/SCRAM-SHA-512 and ACLs (its own cluster folder); env SWITCHBOARD_SECURE');

/**
 * `switchboard stack up|down|status`: the local Kafka and Redis without Docker; `--with
 * postgres,prometheus,toxiproxy` adds those servers, `--secure` runs Kafka with TLS, SCRAM and ACLs.
 */
export function registerStackCommands(program: Command): void {
  const stack = program.command('stack').description('start, stop and inspect the local infrastructure (Kafka, Redis; optionally PostgreSQL, Prometheus, Toxiproxy) without Docker');

  withLayoutOptions(stack.command('up'))
    .description('start Kafka and Redis (and --with parts) unless already running, and wait until all answer')
    .option('--with <parts>', `also start ${STACK_EXTRAS.join(', ')} (repeatable or comma-separated); env SWITCHBOARD_STACK_WITH`, extras)
    .option('--json', 'print the result as JSON')
    .action(async (flags: StackFlags) => {
      const result = await stackUp(toOptions(flags));
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : describeUp(result));
    });

  stack
    .command('down')
    .description('stop exactly what `stack up` started (by recorded pid)')
    .option('--dir <path>', 'state folder; env SWITCHBOARD_STACK_DIR; default .switchboard/stack')
    .option('--only <part>', `stop only this part: ${COMPONENTS.join(', ')} (repeatable)`, component)
    .option('--json', 'print the result as JSON')
    .action(async (flags: StackFlags) => {
      const result = await stackDown({ ...toOptions(flags), ...(flags.only ? { only: flags.only } : {}) });
      if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else if (result.stopped.length === 0) process.stdout.write(`Nothing to stop: no process started by \`stack up\` runs (${result.dir}).\n`);
      else process.stdout.write(result.stopped.map((entry) => `Stopped ${entry.what} (pid ${entry.pid}, ${entry.how})\n`).join(''));
    });

  withLayoutOptions(stack.command('status'))
    .description('say what runs: pids, ports, and whether Kafka and Redis answer (exit code 1 when not ready)')
    .option('--json', 'print the status as JSON')
    .action(async (flags: StackFlags) => {
      const status = await stackStatus(toOptions(flags));
      process.stdout.write(flags.json ? `${JSON.stringify(status, null, 2)}\n` : describeStatus(status));
      // Scripts can test readiness with the exit code alone; --json consumers read `ready`.
      if (!flags.json && !status.ready) process.exitCode = 1;
    });
}
