import { InvalidArgumentError, type Command } from 'commander';
import type { DeadLetterDetail, DeadLetterGroup, DeadLetterSummary, ReplayResult } from '../../admin/index.js';
import { adminClient, print, usageError, withAdminOptions, type AdminFlags } from '../admin-command.js';
import { renderFields, renderTable } from '../table.js';

interface ListFlags extends AdminFlags {
  readonly connector?: string;
  readonly groupBy?: 'code';
  readonly status?: string;
  readonly code?: string;
  readonly limit?: string;
}

function groupBy(value: string): 'code' {
  if (value !== 'code') throw new InvalidArgumentError('only code is supported');
  return value;
}

function renderGroups(groups: readonly DeadLetterGroup[]): string {
  return renderTable(
    ['CONNECTOR', 'CODE', 'COUNT', 'OPEN', 'REPLAYED', 'DISCARDED', 'FIRST SEEN', 'LAST SEEN'],
    groups.map((g) => [g.connector, g.code, g.count, g.open, g.replayed, g.discarded, g.firstSeen, g.lastSeen]),
  );
}

function renderLetters(answer: { letters: DeadLetterSummary[]; next: string | null; dropped: number }): string {
  const table = renderTable(
    ['ID', 'STATUS', 'CODE', 'FAILED AT', 'KEY', 'ATTEMPTS', 'MESSAGE'],
    answer.letters.map((l) => [l.id, l.status, l.errorCode, l.failedAt, l.key, l.attempts, l.errorMessage]),
  );
  const notes = [answer.next ? `more: --before ${answer.next}` : '', answer.dropped > 0 ? `${answer.dropped} older dead letters are not in the console's index` : ''].filter(Boolean);
  return table + notes.map((note) => `(${note})\n`).join('');
}

function renderLetter(l: DeadLetterDetail): string {
  return [
    renderFields([
      ['dead letter', `${l.connector} ${l.id}`],
      ['status', l.mark ? `${l.status} (${l.mark.at}${l.mark.by ? ` by ${l.mark.by}` : ''}${l.mark.reason ? `: ${l.mark.reason}` : ''})` : l.status],
      ['error', l.errorCode],
      ['reason', l.errorMessage],
      ['attempts', l.attempts],
      ['failed at', l.failedAt],
      ['origin', `${l.originalTopic} partition ${l.originalPartition} offset ${l.originalOffset}`],
      ['key', l.key],
      ['event id', l.eventId],
      ['event type', l.payload?.eventType ?? null],
      ['schema id', l.payload?.schemaId ?? null],
      ['decode error', l.decodeError],
      ['masked', l.masked ? 'yes (personal data hidden for viewers)' : 'no'],
    ]),
    '\nHeaders\n',
    renderFields(Object.entries(l.headers)),
    '\nPayload\n',
    l.payload ? `${JSON.stringify(l.payload.value, null, 2)}\n` : l.raw ? `(undecodable; base64) ${l.raw}\n` : '(none)\n',
  ].join('');
}

function renderReplay(answer: { connector: string; results: ReplayResult[] }): string {
  const words: Record<ReplayResult['outcome'], string> = { replayed: 'replayed now', 'already-replayed': 'already replayed before (skipped)', discarded: 'not replayed: discarded' };
  return renderTable(['ID', 'OUTCOME'], answer.results.map((r) => [r.id, words[r.outcome]]));
}

/**
 * `switchboard dlq list|show|replay|discard`: dead letters through the admin API. Replays go
 * through the named connector only and apply each dead letter at most once.
 */
export function registerDlqCommands(program: Command): void {
  const dlq = program.command('dlq').description('dead letters, through the admin API (switchboard console)');

  withAdminOptions(
    dlq
      .command('list')
      .description('dead letters: grouped by error code (all connectors, or --connector with --group-by code), or one connector\'s, newest first')
      .option('--connector <name>', 'one connector')
      .option('--group-by <what>', 'group by error code (code)', groupBy)
      .option('--status <status>', 'open (default for a connector\'s list), replaying, replayed, discarded or all (default for groups)')
      .option('--code <code>', 'one error code')
      .option('--limit <n>', 'at most this many (default 100)')
      .option('--before <id>', 'the page after this id'),
  ).action(async (flags: ListFlags & { before?: string }) => {
    const client = adminClient(flags);
    if (flags.connector === undefined) {
      print(flags, await client.get<{ groups: DeadLetterGroup[] }>('/api/dead-letters', { status: flags.status }), (data) => renderGroups(data.groups));
      return;
    }
    const path = `/api/connectors/${encodeURIComponent(flags.connector)}/dead-letters`;
    if (flags.groupBy === 'code') {
      print(flags, await client.get<{ groups: DeadLetterGroup[] }>(path, { groupBy: 'code', status: flags.status, code: flags.code }), (data) => renderGroups(data.groups));
      return;
    }
    print(flags, await client.get<{ letters: DeadLetterSummary[]; next: string | null; dropped: number }>(path, { status: flags.status, code: flags.code, limit: flags.limit, before: flags.before }), renderLetters);
  });

  withAdminOptions(dlq.command('show <connector> <id>').description('one dead letter: why it failed, its origin, headers and decoded payload'))
    .action(async (connector: string, id: string, flags: AdminFlags) => {
      print(flags, await adminClient(flags).get<DeadLetterDetail>(`/api/connectors/${encodeURIComponent(connector)}/dead-letters/${encodeURIComponent(id)}`), renderLetter);
    });

  withAdminOptions(
    dlq
      .command('replay <connector> [ids...]')
      .description('replay dead letters through that connector only (each at most once): the ids given, or every open one of --code')
      .option('--code <code>', 'every open dead letter with this error code')
      .option('--reason <text>', 'why (kept in the audit trail)'),
  ).action(async (connector: string, ids: string[], flags: AdminFlags & { code?: string; reason?: string }) => {
    if ((ids.length === 0) === (flags.code === undefined)) return usageError('dlq replay: give dead-letter ids or --code CODE (not both)');
    const body = { ...(ids.length > 0 ? { ids } : { code: flags.code }), ...(flags.reason ? { reason: flags.reason } : {}) };
    print(flags, await adminClient(flags).post<{ connector: string; results: ReplayResult[] }>(`/api/connectors/${encodeURIComponent(connector)}/dead-letters/replay`, body), renderReplay);
  });

  withAdminOptions(dlq.command('discard <connector> <id>').description('discard one open dead letter: it will not be applied').requiredOption('--reason <text>', 'why (kept in the audit trail)'))
    .action(async (connector: string, id: string, flags: AdminFlags & { reason: string }) => {
      const answer = await adminClient(flags).post<{ id: string; outcome: string }>(`/api/connectors/${encodeURIComponent(connector)}/dead-letters/${encodeURIComponent(id)}/discard`, { reason: flags.reason });
      print(flags, answer, (data) => `${connector} ${data.id}: ${data.outcome}\n`);
    });
}
