import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallerCredentials, TokenVerifier, ensureCredentialsFile, loadCallerCredentials, loadServiceAuth, scopeAllows, scopeProblem, tokenDigest } from './index.js';

describe('credentials file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swb-auth-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'credentials', 'services.json');

  it('is provisioned once with mode 0600: tokens survive, scopes follow the table, hand-added principals stay', () => {
    const first = ensureCredentialsFile(path, [{ name: 'crm-order-to-erp', scopes: ['erp:POST /sales-orders'] }, { name: 'operator', scopes: ['*'] }]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'credentials')).mode & 0o777).toBe(0o700);
    const token = first.principals['crm-order-to-erp']?.token;
    expect(token).toMatch(/^swb_[A-Za-z0-9_-]{43}$/);
    const manual = JSON.parse(readFileSync(path, 'utf8'));
    manual.principals.auditor = { tokenSha256: tokenDigest('swb_auditor-token-0123456789'), scopes: [] };
    writeFileSync(path, JSON.stringify(manual));
    const second = ensureCredentialsFile(path, [{ name: 'crm-order-to-erp', scopes: ['erp:POST /sales-orders', 'erp:POST /sales-order-cancellations'] }, { name: 'operator', scopes: ['*'] }]);
    expect(second.principals['crm-order-to-erp']).toEqual({ token, scopes: ['erp:POST /sales-orders', 'erp:POST /sales-order-cancellations'] });
    expect(second.principals.operator?.token).toBe(first.principals.operator?.token);
    expect(TokenVerifier.fromFile(second).identify('swb_auditor-token-0123456789')?.name).toBe('auditor');
  });

  it('is read through loadServiceAuth and loadCallerCredentials; errors name the variable and never a token', () => {
    const auth = loadServiceAuth({ SERVICE_AUTH: 'required', SWITCHBOARD_CREDENTIALS: path });
    const callers = loadCallerCredentials({ SWITCHBOARD_CREDENTIALS: path });
    const authorization = callers.authorization('crm-order-to-erp') as string;
    expect(auth.mode === 'required' && auth.verifier.identify(authorization.slice('Bearer '.length))?.name).toBe('crm-order-to-erp');
    expect(JSON.stringify({ callers, auth })).not.toContain(authorization.slice(7));
    expect(loadServiceAuth({}).mode).toBe('off');
    expect(loadCallerCredentials({})).toBe(CallerCredentials.none);
    expect(() => loadServiceAuth({ SERVICE_AUTH: 'required' })).toThrow(/SWITCHBOARD_CREDENTIALS: is required when SERVICE_AUTH=required/);
    expect(() => loadServiceAuth({ SERVICE_AUTH: 'sometimes' })).toThrow(/SERVICE_AUTH/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ principals: { x: { token: 'swb_secret-value-0123456789', scopes: ['erp:FETCH /x'] } } }));
    expect(() => loadServiceAuth({ SERVICE_AUTH: 'required', SWITCHBOARD_CREDENTIALS: bad })).toThrow(/SWITCHBOARD_CREDENTIALS: credentials file .*bad.json: principals.x.scopes.0: scope "erp:FETCH \/x" must be/);
    try {
      loadCallerCredentials({ SWITCHBOARD_CREDENTIALS: bad });
    } catch (error) {
      expect(String(error)).not.toContain('swb_secret-value');
    }
    expect(() => loadCallerCredentials({ SWITCHBOARD_CREDENTIALS: join(dir, 'missing.json') })).toThrow(/cannot be read \(ENOENT\)/);
  });
});

describe('scopes', () => {
  it('grant a route, a whole system or everything, and nothing else', () => {
    expect(scopeAllows(['erp:POST /sales-orders'], 'erp', 'POST', '/sales-orders')).toBe(true);
    expect(scopeAllows(['erp:POST /sales-orders'], 'erp', 'POST', '/sales-order-cancellations')).toBe(false);
    expect(scopeAllows(['erp:POST /sales-orders'], 'crm', 'POST', '/sales-orders')).toBe(false);
    expect(scopeAllows(['erp:*'], 'erp', 'PATCH', '/products/:sku')).toBe(true);
    expect(scopeAllows(['*'], 'scm', 'PUT', '/items/:sku')).toBe(true);
    expect(scopeAllows([], 'scm', 'PUT', '/items/:sku')).toBe(false);
    expect(scopeProblem('erp:PUT /accounts/:crmCustomerId')).toBeUndefined();
    expect(scopeProblem('hr:*')).toMatch(/must be/);
  });
});
