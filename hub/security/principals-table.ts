import type { AclGrant } from '../bus/index.js';
import type { KafkaPrincipal } from './kafka-principals.js';

/** `read, write` on `crm.order.v1` (or `crm.*` for a prefix), one grant as a table cell line. */
function grantText(grant: AclGrant): string {
  const name = grant.pattern === 'prefixed' ? `${grant.name}*` : grant.name;
  return `${grant.resource} \`${name}\`: ${grant.operations.join(', ')}`;
}

/**
 * The principals and their ACLs as a Markdown table (docs/security.md holds the one for the
 * registered connectors and no prefix; a unit test keeps it in step with `kafkaPrincipals`).
 *
 * @example
 * ```ts
 * principalsTable(kafkaPrincipals({ connectors: CONNECTORS, prefix: '' }));
 * // '| principal | role | of | grants |\n|---|---|---|---|\n| `svc-crm` | service | crm | topic `crm.customer.v1`: write<br>... |'
 * ```
 */
export function principalsTable(principals: readonly KafkaPrincipal[]): string {
  const rows = principals.map((principal) => `| \`${principal.username}\` | ${principal.role} | ${principal.of} | ${principal.grants.map(grantText).join('<br>')} |`);
  return ['| principal | role | of | grants |', '|---|---|---|---|', ...rows].join('\n');
}
