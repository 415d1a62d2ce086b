import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCredentialsFile } from '../auth/index.js';
import { provisionCredentials } from './provision-credentials.js';

describe('provisionCredentials (switchboard up)', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'swb-up-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));
  const principals = [{ name: 'crm-order-to-erp', scopes: ['erp:POST /sales-orders'] }, { name: 'operator', scopes: ['*'] }];

  it('writes .switchboard/credentials/services.json once, 0600, and turns auth on for the children', async () => {
    const env: NodeJS.ProcessEnv = {};
    const path = await provisionCredentials(principals, env, cwd);
    expect(path).toBe(join(cwd, '.switchboard', 'credentials', 'services.json'));
    expect(env).toEqual({ SWITCHBOARD_CREDENTIALS: path, SERVICE_AUTH: 'required' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const tokens = readCredentialsFile(path).principals;
    await provisionCredentials(principals, {}, cwd);
    expect(readCredentialsFile(path).principals).toEqual(tokens);
  });

  it('keeps a file and a SERVICE_AUTH the user set', async () => {
    const env: NodeJS.ProcessEnv = { SWITCHBOARD_CREDENTIALS: '/etc/switchboard/credentials.json', SERVICE_AUTH: 'off' };
    expect(await provisionCredentials(principals, env, cwd)).toBe('/etc/switchboard/credentials.json');
    expect(env).toEqual({ SWITCHBOARD_CREDENTIALS: '/etc/switchboard/credentials.json', SERVICE_AUTH: 'off' });
  });
});
