import { InvalidArgumentError, type Command } from 'commander';
import { loadAdminConfig } from '../../admin/admin-config.js';
import { isRole, ROLES, type Role } from '../../admin/roles.js';
import { TokenStore, type TokenListing } from '../../admin/token-store.js';
import { hashToken } from '../../admin/tokens.js';
import { adminClient, print, usageError, withAdminOptions, type AdminFlags } from '../admin-command.js';
import { renderTable } from '../table.js';

function role(value: string): Role {
  if (!isRole(value)) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  return value;
}

/**
 * `switchboard tokens create|list|revoke`: the admin API's tokens (admin role). `create --local`
 * writes the tokens file directly, without the API, for the first token of a console that
 * `switchboard up` did not start, and prints the entry for SWITCHBOARD_TOKENS too.
 */
export function registerTokensCommands(program: Command): void {
  const tokens = program.command('tokens').description('the admin API\'s bearer tokens (needs an admin token)');

  withAdminOptions(
    tokens
      .command('create <name>')
      .description('issue a token; it is printed once (only its hash is kept)')
      .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, role)
      .option('--reason <text>', 'why (kept in the audit trail)')
      .option('--local', 'write the tokens file (SWITCHBOARD_TOKENS_FILE) directly instead of calling the API'),
  ).action(async (name: string, flags: AdminFlags & { role: Role; reason?: string; local?: boolean }) => {
    if (flags.local) {
      const config = loadAdminConfig();
      if (!('file' in config.tokens)) return usageError('tokens create --local: SWITCHBOARD_TOKENS is set, so the console reads no tokens file; add the entry below to it instead');
      const { token, entry } = TokenStore.fromFile(config.tokens.file).create(name, flags.role);
      print(flags, { ...entry, token, file: config.tokens.file, entry: { name, role: flags.role, hash: hashToken(token) } }, (data) =>
        `token for ${data.name} (${data.role}), shown once:\n${data.token}\nwritten to ${data.file}; for SWITCHBOARD_TOKENS: ${JSON.stringify(data.entry)}\n`);
      return;
    }
    const created = await adminClient(flags).post<TokenListing & { token: string }>('/api/tokens', { name, role: flags.role, ...(flags.reason ? { reason: flags.reason } : {}) });
    print(flags, created, (data) => `token for ${data.name} (${data.role}), shown once:\n${data.token}\n`);
  });

  withAdminOptions(tokens.command('list').description('every token: name, role, created (never the token)'))
    .action(async (flags: AdminFlags) => {
      const answer = await adminClient(flags).get<{ source: string; tokens: TokenListing[] }>('/api/tokens');
      print(flags, answer, (data) => renderTable(['NAME', 'ROLE', 'CREATED'], data.tokens.map((t) => [t.name, t.role, t.createdAt])));
    });

  withAdminOptions(tokens.command('revoke <name>').description('revoke a token: refused from the next request on').option('--reason <text>', 'why (kept in the audit trail)'))
    .action(async (name: string, flags: AdminFlags & { reason?: string }) => {
      const answer = await adminClient(flags).post<TokenListing & { revoked: boolean }>(`/api/tokens/${encodeURIComponent(name)}/revoke`, flags.reason ? { reason: flags.reason } : {});
      print(flags, answer, (data) => `token ${data.name} (${data.role}) revoked\n`);
    });
}
