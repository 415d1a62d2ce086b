import { InvalidArgumentError, type Command } from 'commander';
import { stackDown, stackStatus, stackUp, type StackComponent, type StackOptions, type StackStatus, type StackUpResult } from '../../../stack/index.js';

interface StackFlags {
  dir?: string;
  brokers?: number;
  kafkaPort?: number;
  redisPort?: number;
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

function component(value: string, previous: StackComponent[] = []): StackComponent[] {
  if (value !== 'kafka' && value !== 'redis') throw new InvalidArgumentError('must be kafka or redis');
  return [...previous, value];
}

function toOptions(flags: StackFlags): StackOptions {
  return {
    ...(flags.dir !== undefined ? { dir: flags.dir } : {}),
    ...(flags.brokers !== undefined ? { brokers: flags.brokers } : {}),
    ...(flags.kafkaPort !== undefined ? { kafkaPort: flags.kafkaPort } : {}),
    ...(flags.redisPort !== undefined ? { redisPort: flags.redisPort } : {}),
    progress,
  };
}

const ACTION_WORDS: Record<StackUpResult['kafka']['action'], string> = {
  started: 'started',
  'already-running': 'already running',
  'using-existing': 'already answering on its port (not started by this stack; using it)',
  external: 'external (KAFKA_BROKERS / REDIS_URL set; nothing started)',
};

function describeUp(result: StackUpResult): string {
  const lines = [`Kafka ${result.kafka.brokers.join(',')}: ${ACTION_WORDS[result.kafka.action]}`];
  for (const node of result.kafka.nodes) {
    lines.push(`  node ${node.nodeId} 127.0.0.1:${node.port} ${ACTION_WORDS[node.action]}${node.pid ? ` pid ${node.pid}; log ${node.logFile}` : ''}`);
  }
  lines.push(`Redis ${result.redis.url}: ${ACTION_WORDS[result.redis.action]}${result.redis.pid ? ` pid ${result.redis.pid}` : ''}${result.redis.logFile ? `; log ${result.redis.logFile}` : ''}`);
  lines.push(`State and logs: ${result.dir}`);
  return `${lines.join('\n')}\n`;
}

function describeStatus(status: StackStatus): string {
  const answer = (ok: boolean): string => (ok ? 'answering' : 'NOT answering');
  const lines = [`Kafka ${status.kafka.brokers.join(',')}: ${answer(status.kafka.answering)}${status.kafka.managed ? '' : ' (external, KAFKA_BROKERS)'}`];
  for (const node of status.kafka.nodes) {
    const owner = node.pid ? `pid ${node.pid}` : node.portAnswering ? 'not started by this stack' : 'not running';
    lines.push(`  node ${node.nodeId} 127.0.0.1:${node.port}: ${owner}, port ${node.portAnswering ? 'open' : 'closed'}${node.pid ? `; log ${node.logFile}` : ''}`);
  }
  const redisOwner = !status.redis.managed ? ' (external, REDIS_URL)' : status.redis.pid ? `, pid ${status.redis.pid}; log ${status.redis.logFile}` : status.redis.answering ? ', not started by this stack' : '';
  lines.push(`Redis ${status.redis.url}: ${answer(status.redis.answering)}${redisOwner}`);
  lines.push(`State: ${status.dir}`);
  return `${lines.join('\n')}\n`;
}

const withLayoutOptions = (command: Command): Command =>
  command
    .option('--dir <path>', 'state folder (data, logs, pids); env SWITCHBOARD_STACK_DIR; default .switchboard/stack')
    .option('--brokers <n>', 'number of Kafka nodes (1, or 3 for a replicated cluster); env SWITCHBOARD_BROKERS', positiveInt)
    .option('--kafka-port <port>', 'client port of the first Kafka node; env SWITCHBOARD_KAFKA_PORT; default 9092', positiveInt)
    .option('--redis-port <port>', 'Redis port; env SWITCHBOARD_REDIS_PORT; default 6379', positiveInt);

/**
 * `switchboard stack up|down|status`: the local Kafka and Redis without Docker.
 */
export function registerStackCommands(program: Command): void {
  const stack = program.command('stack').description('start, stop and inspect the local infrastructure (Kafka, Redis) without Docker');

  withLayoutOptions(stack.command('up'))
    .description('start Kafka and Redis unless already running, and wait until both answer')
    .option('--json', 'print the result as JSON')
    .action(async (flags: StackFlags) => {
      const result = await stackUp(toOptions(flags));
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : describeUp(result));
    });

  stack
    .command('down')
    .description('stop exactly what `stack up` started (by recorded pid)')
    .option('--dir <path>', 'state folder; env SWITCHBOARD_STACK_DIR; default .switchboard/stack')
    .option('--only <part>', 'stop only this part: kafka or redis (repeatable)', component)
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
