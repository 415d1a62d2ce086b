import type { Command } from 'commander';
import { SYSTEM_NAMES } from '../../../catalogue/index.js';
import type { XrefMatch } from '../../admin/index.js';
import { adminClient, print, withAdminOptions, type AdminFlags } from '../admin-command.js';
import { renderTable } from '../table.js';

/** `switchboard xref <id> [--kind K]`: the ids of a business object in every system, from its id in any one. */
export function registerXrefCommand(program: Command): void {
  withAdminOptions(
    program
      .command('xref <id>')
      .description('cross-references: the ids of a business object in every system, from its id in any one of them (admin API)')
      .option('--kind <kind>', 'customer, order, product, shipment or purchase-order (default: all)'),
  ).action(async (id: string, flags: AdminFlags & { kind?: string }) => {
    const answer = await adminClient(flags).get<{ id: string; matches: XrefMatch[] }>(`/api/xref/${encodeURIComponent(id)}`, { kind: flags.kind });
    print(flags, answer, (data) => renderTable(['KIND', 'KNOWN IN', ...SYSTEM_NAMES.map((s) => s.toUpperCase())], data.matches.map((m) => [m.kind, m.system, ...SYSTEM_NAMES.map((s) => m.ids[s])])));
  });
}
