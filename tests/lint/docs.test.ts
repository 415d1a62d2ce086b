/**
 * The documentation stands on its own. Every Markdown file of the repository links only inside
 * it, each relative link resolves to a file or folder that exists (and an `#anchor` into a
 * Markdown file to one of its headings), and docs/flows.md names every
 * registered connector and every event type the connectors handle (and every event type of the
 * catalogue), so a new connector or event cannot ship undocumented.
 *
 * No exceptions: local addresses such as `http://127.0.0.1:3001` are written as code, which is
 * not a link.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENT_TYPES } from '../../catalogue/index.js';
import { CONNECTORS } from '../../connectors/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Folders that are not the repository's own documents (dependencies, local state, build output). */
const SKIPPED = new Set(['node_modules', '.git', '.switchboard', 'coverage', 'dist']);

/** Every Markdown file of the repository, relative to its root. Symbolic links are not followed. */
function markdownFiles(dir = ROOT): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name) || entry.isSymbolicLink()) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...markdownFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.md')) found.push(relative(ROOT, path));
  }
  return found.sort();
}

/** The Markdown without fenced code blocks and HTML comments. */
function withoutBlocks(markdown: string): string {
  return markdown.replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, '').replace(/<!--[\s\S]*?-->/g, '');
}

/** The text a reader sees as prose: fenced code blocks, inline code and HTML comments removed. */
function prose(markdown: string): string {
  return withoutBlocks(markdown).replace(/(`+)[\s\S]*?\1/g, '');
}

/** The anchors of a file's headings, as forges make them: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const [, heading] of withoutBlocks(markdown).matchAll(/^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/gm)) {
    const slug = heading.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    found.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return found;
}

/** Link and image targets: inline `[text](target)`, reference definitions `[id]: target`, autolinks `<scheme:...>`. */
function linkTargets(markdown: string): string[] {
  const text = prose(markdown);
  const targets: string[] = [];
  for (const match of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) targets.push(match[1]);
  for (const match of text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) targets.push(match[1]);
  for (const match of text.matchAll(/<([a-z][a-z0-9+.-]*:[^\s>]+)>/gi)) targets.push(match[1]);
  return targets;
}

/** Addresses a reader's Markdown renderer turns into links even without brackets. */
function bareUrls(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\b(?:https?|ftp):\/\/[^\s)>\]]+|\bwww\.[^\s)>\]]+/gi)].map((match) => match[0]);
}

/**
 * Why `target`, written in `file`, is not a link inside the repository; undefined when it is.
 * An `#anchor` into a Markdown file must name one of its headings.
 */
function linkProblem(file: string, target: string): string | undefined {
  if (target === '') return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return 'points outside the repository';
  if (target.startsWith('/')) return 'is absolute; write it relative to the file';
  const [pathPart, anchor] = target.replace(/\?[^#]*/, '').split('#', 2) as [string, string | undefined];
  const resolved = pathPart === '' ? resolve(ROOT, file) : resolve(ROOT, dirname(file), decodeURIComponent(pathPart));
  const inside = relative(ROOT, resolved);
  if (inside.startsWith('..') || inside.split(sep).some((part) => SKIPPED.has(part))) return 'leaves the repository';
  if (!existsSync(resolved)) return 'does not exist';
  if (anchor && resolved.endsWith('.md') && !anchors(readFileSync(resolved, 'utf8')).has(decodeURIComponent(anchor).toLowerCase())) {
    return `names no heading of ${relative(ROOT, resolved)}`;
  }
  return undefined;
}

/** The record name of a full name: `switchboard.crm.OrderPlaced` → `OrderPlaced`. */
const recordName = (fullName: string): string => fullName.slice(fullName.lastIndexOf('.') + 1);

/** True when `text` names `word` as a whole word (dashes count as part of a word). */
const names = (text: string, word: string): boolean => new RegExp(`(?<![\\w-])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(text);

describe('the documentation', () => {
  const files = markdownFiles();

  it('finds the links a reader would follow, and only those', () => {
    const sample = [
      'See [the guide](docs/guide.md#top), ![a diagram](img/d.png "title") and <https://example.com>.',
      '[ref]: ../elsewhere.md',
      'Not links: `[x](http://127.0.0.1:3001)` and',
      '```sh',
      'curl http://127.0.0.1:8081/subjects  # [y](nowhere.md)',
      '```',
      'A bare address: https://example.org/page.',
    ].join('\n');
    expect(linkTargets(sample)).toEqual(['docs/guide.md#top', 'img/d.png', '../elsewhere.md', 'https://example.com']);
    expect(bareUrls(sample)).toEqual(['https://example.com', 'https://example.org/page.']);
    expect(linkProblem(join('docs', 'x.md'), 'https://example.com')).toBe('points outside the repository');
    // Two levels up from docs/: out of the repository (built from parts, so this file names no such path itself).
    expect(linkProblem(join('docs', 'x.md'), ['..', '..', 'outside', 'notes.md'].join('/'))).toBe('leaves the repository');
    expect(linkProblem(join('docs', 'x.md'), 'architecture.md#layers')).toBeUndefined();
    expect(linkProblem(join('docs', 'architecture.md'), 'architecture.md#no-such-heading')).toMatch(/names no heading/);
    expect(linkProblem(join('docs', 'architecture.md'), '#no-such-heading')).toMatch(/names no heading/);
    expect(linkProblem(join('docs', 'architecture.md'), '#layers')).toBeUndefined();
    expect([...anchors('# Two words\n## What is `not` guaranteed?\n```\n# not a heading\n```\n## Two words\n')]).toEqual(['two-words', 'what-is-not-guaranteed', 'two-words-1']);
  });

  it('covers the README, the docs folder and the READMEs beside the code', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', join('docs', 'README.md'), join('docs', 'flows.md'), join('services', 'crm', 'README.md')]));
  });

  it('links only inside the repository, and every relative link resolves', () => {
    const problems: string[] = [];
    for (const file of files) {
      const markdown = readFileSync(join(ROOT, file), 'utf8');
      if (markdown.includes('../shared')) problems.push(`${file}: mentions ../shared, a folder outside the repository`);
      for (const url of bareUrls(markdown)) problems.push(`${file}: ${url} points outside the repository`);
      for (const target of linkTargets(markdown)) {
        const problem = linkProblem(file, target);
        if (problem) problems.push(`${file}: link ${target} ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('names every registered connector and every event type it handles in docs/flows.md', () => {
    const flows = readFileSync(join(ROOT, 'docs', 'flows.md'), 'utf8');
    const missing: string[] = [];
    for (const connector of CONNECTORS) {
      if (!names(flows, connector.name)) missing.push(`connector ${connector.name}`);
      for (const eventType of connector.source.eventTypes) {
        if (!names(flows, recordName(eventType))) missing.push(`event type ${recordName(eventType)} (handled by ${connector.name})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('names every event type of the catalogue in docs/flows.md, also those no connector handles yet', () => {
    const flows = readFileSync(join(ROOT, 'docs', 'flows.md'), 'utf8');
    const missing = Object.values(EVENT_TYPES).map((entry) => entry.name).filter((name) => !names(flows, name));
    expect(missing).toEqual([]);
  });
});
