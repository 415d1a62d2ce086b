import { createServer, type Server } from 'node:http';
import { ERRORS } from '../../errors/index.js';
import { ExternalHttpGate } from './external-http-gate.js';
import { ClientCredentialsToken } from './oauth2-client.js';
import { loadHttpTargetSettings } from './target-config.js';

/** A token endpoint of the client-credentials grant: counts requests, checks the client, issues numbered tokens. */
async function tokenEndpoint(options: { expiresIn?: number; refuse?: boolean } = {}): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push(`${request.headers.authorization} ${body}`);
      const client = Buffer.from(String(request.headers.authorization).replace('Basic ', ''), 'base64').toString();
      response.setHeader('content-type', 'application/json');
      if (options.refuse || client !== 'partner:s3cret') {
        response.statusCode = 401;
        response.end(JSON.stringify({ error: 'invalid_client', error_description: 'unknown client' }));
        return;
      }
      response.end(JSON.stringify({ access_token: `token-${requests.length}`, token_type: 'Bearer', expires_in: options.expiresIn ?? 3600 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/oauth/token`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('OAuth2 client credentials', () => {
  it('asks once, shares one request between concurrent callers, and sends the client as basic authentication with the scope', async () => {
    const endpoint = await tokenEndpoint();
    try {
      const token = new ClientCredentialsToken({ tokenUrl: endpoint.url, clientId: 'partner', clientSecret: 's3cret', scope: 'orders:write' });
      const answers = await Promise.all([token.authorization(), token.authorization(), token.authorization()]);
      expect(answers).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-1']);
      expect(await token.authorization()).toBe('Bearer token-1');
      expect(endpoint.requests).toEqual([`Basic ${Buffer.from('partner:s3cret').toString('base64')} grant_type=client_credentials&scope=orders%3Awrite`]);
    } finally {
      await endpoint.close();
    }
  });

  it('renews the token before it expires: once a fifth of its lifetime is left', async () => {
    const endpoint = await tokenEndpoint({ expiresIn: 100 });
    let now = 1_000_000;
    try {
      const token = new ClientCredentialsToken({ tokenUrl: endpoint.url, clientId: 'partner', clientSecret: 's3cret' }, { now: () => now });
      expect(await token.authorization()).toBe('Bearer token-1');
      now += 79_000;
      expect(await token.authorization()).toBe('Bearer token-1');
      now += 1_000; // 20 s of 100 left: renewed, though still valid
      expect(await token.authorization()).toBe('Bearer token-2');
    } finally {
      await endpoint.close();
    }
  });

  it('fails retriably when the endpoint refuses the client, naming its answer', async () => {
    const endpoint = await tokenEndpoint({ refuse: true });
    try {
      const token = new ClientCredentialsToken({ tokenUrl: endpoint.url, clientId: 'partner', clientSecret: 'wrong' });
      await expect(token.authorization()).rejects.toMatchObject({ code: ERRORS.SINK_TOKEN_UNAVAILABLE.code, retriable: true, message: expect.stringContaining('invalid_client: unknown client') });
    } finally {
      await endpoint.close();
    }
  });
});

describe('the gate of an external HTTP target', () => {
  it('sends the configured bearer or basic credentials', async () => {
    expect(await new ExternalHttpGate({ auth: { kind: 'bearer', token: 't0k' }, maxWaitMs: 1000 }).admit()).toEqual({ authorization: 'Bearer t0k' });
    expect(await new ExternalHttpGate({ auth: { kind: 'basic', username: 'u', password: 'p' }, maxWaitMs: 1000 }).admit()).toEqual({ authorization: `Basic ${Buffer.from('u:p').toString('base64')}` });
    expect(await new ExternalHttpGate({ auth: { kind: 'none' }, maxWaitMs: 1000 }).admit()).toEqual({});
  });

  it('drops an OAuth2 token the target answers 401 to (the event is retried with a new one), and pauses on Retry-After', async () => {
    const endpoint = await tokenEndpoint();
    let now = 5_000_000;
    try {
      const gate = new ExternalHttpGate({ auth: { kind: 'oauth2', tokenUrl: endpoint.url, clientId: 'partner', clientSecret: 's3cret' }, maxWaitMs: 10_000, now: () => now });
      const sent = await gate.admit();
      expect(gate.answered(401, {}, sent)).toBe('retriable');
      expect(await gate.admit()).toEqual({ authorization: 'Bearer token-2' });
      expect(gate.answered(429, { 'retry-after': '30' }, sent)).toBeUndefined();
      await expect(gate.admit()).rejects.toMatchObject({ code: ERRORS.SINK_RATE_LIMITED.code });
      now += 30_000;
      expect(await gate.admit()).toEqual({ authorization: 'Bearer token-2' });
    } finally {
      await endpoint.close();
    }
  });

  it('reads its URL and credentials from TARGET_<NAME>_*, naming what is missing', () => {
    expect(loadHttpTargetSettings({ kind: 'http', name: 'partner-api', auth: 'oauth2' }, {
      TARGET_PARTNER_API_URL: 'https://api.partner.example/v2/', TARGET_PARTNER_API_TOKEN_URL: 'https://login.partner.example/token',
      TARGET_PARTNER_API_CLIENT_ID: 'id', TARGET_PARTNER_API_CLIENT_SECRET: 'secret',
    })).toEqual({ url: 'https://api.partner.example/v2', auth: { kind: 'oauth2', tokenUrl: 'https://login.partner.example/token', clientId: 'id', clientSecret: 'secret' } });
    expect(() => loadHttpTargetSettings({ kind: 'http', name: 'partner-api', auth: 'basic' }, { TARGET_PARTNER_API_URL: 'https://api.partner.example' })).toThrow(/TARGET_PARTNER_API_USERNAME.*\n.*TARGET_PARTNER_API_PASSWORD/);
  });
});
