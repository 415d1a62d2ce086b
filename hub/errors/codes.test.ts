import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERRORS, ERROR_AREAS, errorSpec, isErrorCode, type ErrorCode } from './codes.js';
import { ERRORS_DOC_FILE, renderErrorsDoc } from './errors-doc.js';
import { SwitchboardError } from './switchboard-error.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where production code lives; tests and test helpers are left out below. */
const PRODUCTION_DIRS = ['hub', 'services', 'connectors', 'topics', 'schemas', 'stack', 'bin', 'catalogue'];
/** The catalogue itself: the only place a code is spelled out. */
const CATALOGUE = [join('hub', 'errors', 'codes.ts'), join('hub', 'errors', 'codes') + sep];

function productionFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'testing' ? [] : productionFiles(path);
    return /\.(ts|js|mjs)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** A code in quotes, `'SWB_ERR_'` + something included. */
const QUOTED_CODE = /(['"])SWB_ERR_[A-Z0-9_]*\1/;
/** The same in a template literal (not in comments, where backticks quote code: `SWB_ERR_X`). */
const TEMPLATE_CODE = /`SWB_ERR_[A-Z0-9_]*(`|\$\{)/;

/** `file:line: text` of every code written as a string literal. */
function codeLiterals(file: string): string[] {
  return readFileSync(join(ROOT, file), 'utf8')
    .split('\n')
    .flatMap((line, index) => {
      const comment = /^\s*(\*|\/\/|\/\*)/.test(line);
      const literal = QUOTED_CODE.test(line) || (!comment && TEMPLATE_CODE.test(line));
      return literal ? [`${file}:${index + 1}: ${line.trim()}`] : [];
    });
}

describe('error catalogue', () => {
  const entries = Object.entries(ERRORS);

  it('names every code SWB_ERR_<AREA>_<REASON>, after its area and entry', () => {
    const wrong = entries.filter(([name, entry]) => {
      const match = /^SWB_ERR_([A-Z][A-Z0-9]*)_([A-Z0-9]+(?:_[A-Z0-9]+)*)$/.exec(entry.code);
      return !match || match[1] !== entry.area || `${match[1]}_${match[2]}` !== name;
    });
    expect(wrong.map(([, entry]) => entry.code)).toEqual([]);
  });

  it('declares each code once, in one of the listed areas', () => {
    const declared = ERROR_AREAS.reduce((sum, area) => sum + Object.keys(area.errors).length, 0);
    expect(entries).toHaveLength(declared);
    expect(new Set(ERROR_AREAS.map((area) => area.name)).size).toBe(ERROR_AREAS.length);
    expect(new Set(entries.map(([, entry]) => entry.code)).size).toBe(entries.length);
  });

  it('describes every code in one line an operator can act on', () => {
    const bad = entries.filter(([, entry]) => !/^[A-Z].*[.)]$/.test(entry.description) || entry.description.includes('\n'));
    expect(bad.map(([, entry]) => entry.code)).toEqual([]);
  });

  it('gives an entry by name or by code, and refuses codes it does not have', () => {
    expect(errorSpec('SWB_ERR_RUNTIME_MAPPING')).toBe(ERRORS.RUNTIME_MAPPING);
    expect(errorSpec('SWB_ERR_ERP_ACCOUNT_NOT_YET')).toMatchObject({ area: 'ERP', status: 404, retriable: true });
    expect(isErrorCode('SWB_ERR_RUNTIME_MAPPING')).toBe(true);
    expect(isErrorCode('SWB_ERR_NOPE')).toBe(false);
    expect(() => errorSpec('SWB_ERR_NOPE' as ErrorCode)).toThrow(TypeError);
  });

  it('decides whether an error is retriable', () => {
    expect(new SwitchboardError(ERRORS.STACK_DOWNLOAD.code, 'offline').retriable).toBe(true);
    expect(new SwitchboardError(ERRORS.STACK_PREREQUISITE.code, 'no java').retriable).toBe(false);
  });

  it('is what docs/errors.md says (run `npm run codegen` when this fails)', () => {
    expect(readFileSync(ERRORS_DOC_FILE, 'utf8')).toBe(renderErrorsDoc());
  });

  it('is the only place production code spells a code out', () => {
    const files = PRODUCTION_DIRS.flatMap(productionFiles).filter((file) => !CATALOGUE.some((path) => file === path || file.startsWith(path)));
    expect(files.length).toBeGreaterThan(100);
    // Use ERRORS.<AREA>_<REASON>.code instead, after declaring the code in hub/errors/codes/.
    expect(files.flatMap(codeLiterals)).toEqual([]);
  });
});
