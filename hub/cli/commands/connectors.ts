import { InvalidArgumentError, type Command } from 'commander';
import type { ConnectorStatusView } from '../../admin/index.js';
import { adminClient, print, withAdminOptions, type AdminFlags } from '../admin-command.js';
import { renderFields, renderTable } from '../table.js';

interface ResetFlags extends AdminFlags {
  readonly toTime?: string;
  readonly toOffset?: { topic: string; partition: number; offset: string }[];
  readonly reason?: string;
}

/** `topic:partition:offset` (the topic may hold dots, not colons). */
function topicPartitionOffset(value: string, previous: { topic: string; partition: number; offset: string }[] = []) {
  const match = /^([^:]+):(\d+):(\d+)$/.exec(value);
  if (!match) throw new InvalidArgumentError('must be topic:partition:offset, e.g. crm.order.v1:2:1200');
  return [...previous, { topic: match[1], partition: Number(match[2]), offset: match[3] }];
}

function renderList(connectors: readonly ConnectorStatusView[]): string {
  return renderTable(
    ['CONNECTOR', 'DESIRED', 'STATUS', 'LAG', 'CONSUMED/S', 'APPLIED/S', 'WORKERS', 'LAST ERROR'],
    connectors.map((c) => [c.name, c.desiredState, c.status, c.lag, c.rates.consumedPerSecond, c.rates.appliedPerSecond, c.workers.length, c.lastError ? `${c.lastError.code} ${c.lastError.at}` : null]),
  );
}

function renderOne(c: ConnectorStatusView): string {
  return [
    renderFields([
      ['connector', c.name],
      ['description', c.description],
      ['target', c.target],
      ['desired state', c.desiredState],
      ['status', `${c.status} (window ${c.window.samples}/${c.window.size} samples every ${c.window.intervalMs} ms${c.window.complete ? '' : ', not full yet'})`],
      ['lag', c.lag],
      ['rates', `${c.rates.consumedPerSecond} consumed/s, ${c.rates.appliedPerSecond} applied/s`],
      ['group members', c.groupMembers],
      ['last error', c.lastError ? `${c.lastError.code} at ${c.lastError.at}: ${c.lastError.message}` : null],
      ['sampled at', c.sampledAt],
    ]),
    '\nPartitions\n',
    renderTable(['TOPIC', 'PARTITION', 'COMMITTED', 'END', 'LAG', 'STATUS', 'WORKER'], c.partitions.map((p) => [p.topic, p.partition, p.committed, p.end, p.lag, p.status, p.worker])),
    '\nWorkers\n',
    renderTable(
      ['WORKER', 'STATE', 'ASSIGNED', 'LAG', 'CONSUMED/S', 'APPLIED/S', 'CONSUMED', 'APPLIED', 'DEAD-LETTERED', 'UPDATED'],
      c.workers.map((w) => [
        w.workerId, w.state, Object.values(w.assignment).reduce((sum, partitions) => sum + partitions.length, 0), w.lag,
        w.rates.consumedPerSecond, w.rates.appliedPerSecond, w.stats.consumed, w.stats.delivered, w.stats.deadLettered, w.updatedAt,
      ]),
    ),
  ].join('');
}

/**
 * `switchboard connectors status|pause|resume|restart|reset`: the connectors' status and
 * controls, through the admin API.
 */
export function registerConnectorsCommands(program: Command): void {
  const connectors = program.command('connectors').description('connector status and control, through the admin API (switchboard console)');

  withAdminOptions(connectors.command('status [name]').description('status of every connector, or one in detail: per partition and worker, rates, lag, last error, Burrow evaluation'))
    .action(async (name: string | undefined, flags: AdminFlags) => {
      const client = adminClient(flags);
      if (name === undefined) {
        print(flags, await client.get<{ connectors: ConnectorStatusView[] }>('/api/connectors'), (data) => renderList(data.connectors));
      } else {
        print(flags, await client.get<ConnectorStatusView>(`/api/connectors/${encodeURIComponent(name)}`), renderOne);
      }
    });

  for (const verb of ['pause', 'resume', 'restart'] as const) {
    withAdminOptions(connectors.command(`${verb} <name>`).description(`${verb} every worker of a connector`).option('--reason <text>', 'why (kept in the audit trail)'))
      .action(async (name: string, flags: AdminFlags & { reason?: string }) => {
        const answer = await adminClient(flags).post<{ connector: string; desiredState: string }>(`/api/connectors/${encodeURIComponent(name)}/${verb}`, flags.reason ? { reason: flags.reason } : {});
        print(flags, answer, (data) => `${data.connector}: ${verb === 'restart' ? 'restart requested' : data.desiredState}\n`);
      });
  }

  withAdminOptions(
    connectors
      .command('reset <name>')
      .description('move the connector\'s committed offsets to a time or to offsets; its workers stop until the group is empty, then go on')
      .option('--to-time <iso>', 'the first record at or after this time, e.g. 2024-05-06T00:00:00Z')
      .option('--to-offset <topic:partition:offset>', 'an offset (repeatable)', topicPartitionOffset)
      .requiredOption('--reason <text>', 'why (kept in the audit trail)'),
  ).action(async (name: string, flags: ResetFlags) => {
    const body = { reason: flags.reason, ...(flags.toTime !== undefined ? { toTime: flags.toTime } : {}), ...(flags.toOffset !== undefined ? { toOffsets: flags.toOffset } : {}) };
    const answer = await adminClient(flags).post<{ connector: string; reset: unknown; desiredState: string }>(`/api/connectors/${encodeURIComponent(name)}/reset`, body);
    print(flags, answer, (data) => `${data.connector}: offsets reset (${JSON.stringify(data.reset)}); now ${data.desiredState}\n`);
  });
}
