import type { Command } from 'commander';
import type { AuditPage, AuditTarget } from '../../admin/audit-trail.js';
import { adminClient, print, withAdminOptions, type AdminFlags } from '../admin-command.js';
import { renderTable } from '../table.js';

function target(t: AuditTarget): string {
  return [t.connector, t.token ? `token ${t.token}` : undefined, t.code ? `code ${t.code}` : undefined, t.deadLetters?.join(',')].filter(Boolean).join(' ');
}

/** `switchboard audit [--limit N] [--before P]`: the audit trail of operator actions, newest first. */
export function registerAuditCommand(program: Command): void {
  withAdminOptions(
    program
      .command('audit')
      .description('the audit trail of operator actions, newest first (admin API)')
      .option('--limit <n>', 'at most this many entries (default 50)')
      .option('--before <position>', 'entries older than this position (the `next` of the previous page)'),
  ).action(async (flags: AdminFlags & { limit?: string; before?: string }) => {
    const page = await adminClient(flags).get<AuditPage>('/api/audit', { limit: flags.limit, before: flags.before });
    print(flags, page, (data) =>
      renderTable(['AT', 'ACTOR', 'ROLE', 'ACTION', 'TARGET', 'OUTCOME', 'REASON'], data.entries.map((e) => [e.at, e.actor, e.role, e.action, target(e.target), e.outcome === 'ok' ? 'ok' : `failed ${e.code ?? ''}`, e.reason])) +
      (data.next ? `(older: --before ${data.next})\n` : ''),
    );
  });
}
