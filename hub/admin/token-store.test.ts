import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadAdminConfig } from './admin-config.js';
import { ensureLocalAdminToken, LOCAL_ADMIN_TOKEN_NAME, readTokenFile } from './local-admin-token.js';
import { TokenStore } from './token-store.js';
import { hashToken } from './tokens.js';

describe('admin API tokens', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'switchboard-tokens-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('issues a token once, keeps only its hash in a file only its owner reads, and knows it again', () => {
    const file = path.join(dir, 'tokens.json');
    const store = TokenStore.fromFile(file);
    const { token, entry } = store.create('alice', 'operator');
    expect(token).toMatch(/^swb_[A-Za-z0-9_-]{43}$/);
    expect(entry).toMatchObject({ name: 'alice', role: 'operator' });
    const content = readFileSync(file, 'utf8');
    expect(content).not.toContain(token);
    expect(content).toContain(hashToken(token));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(store.authenticate(token)).toMatchObject({ name: 'alice', role: 'operator' });
    expect(TokenStore.fromFile(file).authenticate(token)?.name).toBe('alice');
    expect(store.authenticate(`${token}x`)).toBeUndefined();
    expect(store.list()).toEqual([{ name: 'alice', role: 'operator', createdAt: entry.createdAt }]);
  });

  it('refuses a second token of one name and an unknown name to revoke; a revoked token is refused at once, also by another reader', () => {
    const file = path.join(dir, 'tokens.json');
    const store = TokenStore.fromFile(file);
    const other = TokenStore.fromFile(file);
    const { token } = store.create('ci', 'viewer');
    expect(() => store.create('ci', 'admin')).toThrow(expect.objectContaining({ code: 'SWB_ERR_ADMIN_TOKEN_EXISTS', statusCode: 409 }));
    expect(() => store.revoke('nobody')).toThrow(expect.objectContaining({ code: 'SWB_ERR_ADMIN_TOKEN_NOT_FOUND', statusCode: 404 }));
    expect(other.authenticate(token)?.name).toBe('ci');
    store.revoke('ci');
    expect(other.authenticate(token)).toBeUndefined();
  });

  it('names the file and the problem when the tokens file is broken', () => {
    const file = path.join(dir, 'tokens.json');
    writeFileSync(file, JSON.stringify({ tokens: [{ name: 'Bad Name', role: 'root', hash: 'abc' }] }));
    expect(() => TokenStore.fromFile(file)).toThrow(/tokens file .*tokens\.json: tokens\.0\.name: .*tokens\.0\.role: .*tokens\.0\.hash: /s);
    writeFileSync(file, '{');
    expect(() => TokenStore.fromFile(file)).toThrow(/not readable JSON/);
  });

  it('takes fixed tokens from SWITCHBOARD_TOKENS, refusing to change them, and explains a bad value', () => {
    const token = 'swb_fixed-token-for-the-test';
    const config = loadAdminConfig({ SWITCHBOARD_TOKENS: JSON.stringify([{ name: 'ops', role: 'admin', hash: hashToken(token) }]) });
    expect(config.tokens).toEqual({ fixed: [{ name: 'ops', role: 'admin', hash: hashToken(token) }] });
    const store = TokenStore.fixed('fixed' in config.tokens ? config.tokens.fixed : []);
    expect(store.authenticate(token)?.name).toBe('ops');
    expect(() => store.create('x', 'viewer')).toThrow(expect.objectContaining({ code: 'SWB_ERR_ADMIN_TOKENS_READ_ONLY' }));
    expect(() => loadAdminConfig({ SWITCHBOARD_TOKENS: 'not json' })).toThrow(/SWITCHBOARD_TOKENS: must be a JSON array/);
    expect(() => loadAdminConfig({ SWITCHBOARD_TOKENS: '[{"name":"a","role":"boss","hash":"00"}]' })).toThrow(/SWITCHBOARD_TOKENS\.0\.role: .*viewer.*\n.*SWITCHBOARD_TOKENS\.0\.hash: a hash is the 64 lower-case hex digits/);
  });

  it('gives the local operator one admin token, written readable by the user only, and keeps it on the next start', () => {
    const tokensFile = path.join(dir, 'tokens.json');
    const tokenFile = path.join(dir, 'admin-token');
    expect(ensureLocalAdminToken(tokensFile, tokenFile)).toEqual({ created: true, path: tokenFile });
    const token = readTokenFile(tokenFile) as string;
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(TokenStore.fromFile(tokensFile).authenticate(token)).toMatchObject({ name: LOCAL_ADMIN_TOKEN_NAME, role: 'admin' });
    expect(ensureLocalAdminToken(tokensFile, tokenFile)).toEqual({ created: false, path: tokenFile });
    expect(readTokenFile(tokenFile)).toBe(token);
    // A lost token file: a new token replaces the old entry.
    rmSync(tokenFile);
    expect(ensureLocalAdminToken(tokensFile, tokenFile).created).toBe(true);
    expect(TokenStore.fromFile(tokensFile).authenticate(token)).toBeUndefined();
    expect(TokenStore.fromFile(tokensFile).list().map((entry) => entry.name)).toEqual([LOCAL_ADMIN_TOKEN_NAME]);
  });
});
