import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PROJECT_ROOT } from '../config/project-root.js';
import { ERRORS } from '../errors/index.js';
import { errorAnswer } from '../service/error-handler.js';

/** Where the web console's own files are: `ui/` of the project. */
export const UI_DIR = join(PROJECT_ROOT, 'ui');

/**
 * The libraries the pages import, served from node_modules at fixed paths (the machine may be
 * offline: no CDN). A bare `from "preact"` inside one is pointed at its path, so the pages need
 * no import map and the content security policy can refuse inline scripts.
 */
const VENDOR: Readonly<Record<string, string>> = {
  'preact.mjs': 'node_modules/preact/dist/preact.mjs',
  'preact-hooks.mjs': 'node_modules/preact/hooks/dist/hooks.mjs',
  'htm.mjs': 'node_modules/htm/dist/htm.mjs',
  'uplot.mjs': 'node_modules/uplot/dist/uPlot.esm.js',
  'uplot.css': 'node_modules/uplot/dist/uPlot.min.css',
};

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** What the pages may load and run: their own files only. */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

/** Every file below `dir`, by its path relative to it with `/` separators. */
function filesBelow(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const full = join(folder, name);
      if (statSync(full).isDirectory()) walk(full);
      else found.set(relative(dir, full).split(sep).join('/'), full);
    }
  };
  walk(dir);
  return found;
}

/** Reads the console's files and the vendored libraries once, at start: a request can only get one of them. */
export function loadConsoleAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const [path, full] of filesBelow(UI_DIR)) assets.set(`/ui/${path}`, { body: readFileSync(full), type: TYPES[extname(full)] ?? 'application/octet-stream' });
  for (const [name, path] of Object.entries(VENDOR)) {
    let text = readFileSync(join(PROJECT_ROOT, path), 'utf8');
    text = text.replace(/from\s*(["'])preact\1/g, 'from"/vendor/preact.mjs"').replace(/\/\/# sourceMappingURL=.*$/m, '');
    assets.set(`/vendor/${name}`, { body: Buffer.from(text), type: TYPES[extname(name)] ?? 'application/octet-stream' });
  }
  return assets;
}

/**
 * Serves the operators' web console: `/` is its page, `/ui/...` its scripts and styles,
 * `/vendor/...` Preact, htm and uPlot from node_modules. No data lives here: the pages call
 * the admin API under `/api/` with the bearer token the operator signs in with.
 *
 * @example
 * ```ts
 * await app.register(registerConsoleAssets);
 * ```
 */
export async function registerConsoleAssets(app: FastifyInstance): Promise<void> {
  const assets = loadConsoleAssets();
  const send = (reply: FastifyReply, asset: Asset) => reply.headers({ ...SECURITY_HEADERS, 'content-type': asset.type, 'cache-control': 'no-cache' }).send(asset.body);
  const page = assets.get('/ui/index.html');
  const index = async (_request: unknown, reply: FastifyReply) => (page ? send(reply, page) : notFound(reply, '/'));
  app.get('/', { schema: { hide: true } }, index);
  app.get('/index.html', { schema: { hide: true } }, index);
  app.get('/ui/*', { schema: { hide: true } }, async (request, reply) => {
    const asset = assets.get(request.url.split('?')[0]);
    return asset ? send(reply, asset) : notFound(reply, request.url);
  });
  app.get('/vendor/*', { schema: { hide: true } }, async (request, reply) => {
    const asset = assets.get(request.url.split('?')[0]);
    return asset ? send(reply, asset) : notFound(reply, request.url);
  });
}

function notFound(reply: FastifyReply, url: string): FastifyReply {
  const { statusCode, body } = errorAnswer(ERRORS.ADMIN_ASSET_NOT_FOUND.code, `the console has no file ${url.split('?')[0]}`);
  return reply.code(statusCode).send(body);
}
