/**
 * `switchboard connector new` in a temporary copy of the repository: the generated connectors
 * (one TypeScript, one YAML) pass their unit tests, the conformance-table test, lint and the
 * type check at once, and `connector validate` and `connector test` accept them. An integration
 * test because it runs the CLI, Jest, ESLint and tsc as child processes (about a minute), not
 * because it needs the stack.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_EVENTS } from '../../../schemas/examples.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SKIPPED = new Set(['node_modules', '.git', '.switchboard', 'coverage', 'dist']);

function run(cwd: string, command: string, args: readonly string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 32 * 1024 * 1024 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('switchboard connector new', () => {
  let copy: string;

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'scaffold-'));
    cpSync(root, copy, { recursive: true, filter: (source) => !SKIPPED.has(relative(root, source).split('/')[0] as string) });
    symlinkSync(realpathSync(join(root, 'node_modules')), join(copy, 'node_modules'));
  });
  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('creates a TypeScript and a YAML connector that pass their tests, lint and type check at once', () => {
    const cli = (...args: string[]) => run(copy, 'node', ['bin/switchboard.js', 'connector', ...args]);
    const before = Number(/(\d+) connector\(s\), no problems/.exec(cli('validate').output)?.[1]);
    expect(before).toBeGreaterThan(0);
    const typescript = cli('new', 'crm-customer-to-scaffold', '--from', 'crm.customer', '--to', 'scm');
    expect(typescript).toMatchObject({ status: 0, output: expect.stringContaining('wrote connectors/crm-customer-to-scaffold/connector.ts') });
    const yaml = cli('new', 'erp-sales-order-to-scaffold', '--from', 'erp.sales-order', '--to', 'crm', '--declarative');
    expect(yaml).toMatchObject({ status: 0, output: expect.stringContaining('wrote connectors/erp-sales-order-to-scaffold/connector.yaml') });
    expect(readFileSync(join(copy, 'connectors', 'index.ts'), 'utf8')).toMatch(/import crmCustomerToScaffold from '\.\/crm-customer-to-scaffold\/connector\.js';[\s\S]*crmCustomerToScaffold,\n[\s\S]*declarative\('erp-sales-order-to-scaffold'\),\n\]\);/);
    expect(readFileSync(join(copy, 'connectors', 'conformance-fixtures.ts'), 'utf8')).toContain("'erp-sales-order-to-scaffold': {\n    events: run('switchboard.erp.SalesOrderConfirmed'),");
    // The same name again is refused, and nothing is written.
    expect(cli('new', 'crm-customer-to-scaffold', '--from', 'crm.customer', '--to', 'scm')).toMatchObject({ status: 1, output: expect.stringContaining('exists already') });

    expect(cli('validate')).toMatchObject({ status: 0, output: expect.stringContaining(`${before + 2} connector(s), no problems`) });
    const event = join(copy, 'event.json');
    writeFileSync(event, JSON.stringify({ type: 'switchboard.erp.SalesOrderConfirmed', value: EXAMPLE_EVENTS['switchboard.erp.SalesOrderConfirmed'] }));
    const dry = cli('test', 'erp-sales-order-to-scaffold', '--event', event);
    expect(dry.status).toBe(0);
    expect(JSON.parse(dry.output)).toEqual([
      { kind: 'http', method: 'PUT', path: '/sales-orders/O-50123', body: { type: 'switchboard.erp.SalesOrderConfirmed', value: EXAMPLE_EVENTS['switchboard.erp.SalesOrderConfirmed'] } },
    ]);

    const generated = ['connectors/crm-customer-to-scaffold', 'connectors/erp-sales-order-to-scaffold'];
    const unit = run(copy, 'node', ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', '--selectProjects', 'unit', '--',
      ...generated.map((folder) => join(copy, folder, 'connector.test.ts')), join(copy, 'connectors', 'conformance-fixtures.test.ts')]);
    expect(unit.output).toMatch(/Test Suites: 3 passed, 3 total/);
    expect(unit.status).toBe(0);

    const lint = run(copy, 'node', ['node_modules/eslint/bin/eslint.js', ...generated, 'connectors/index.ts', 'connectors/conformance-fixtures.ts']);
    expect(lint).toEqual({ status: 0, output: '' });
    writeFileSync(join(copy, 'tsconfig.scaffold.json'), JSON.stringify({
      extends: './tsconfig.json',
      include: [...generated.map((folder) => `${folder}/*.ts`), 'connectors/index.ts', 'connectors/conformance-fixtures.ts'],
    }));
    expect(run(copy, 'node', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.scaffold.json'])).toEqual({ status: 0, output: '' });

    // validate finds a broken YAML connector (at its line) and a connector without its conformance entry.
    const yamlFile = join(copy, 'connectors', 'erp-sales-order-to-scaffold', 'connector.yaml');
    writeFileSync(yamlFile, readFileSync(yamlFile, 'utf8').replace('method: PUT', 'method: FETCH'));
    const fixturesFile = join(copy, 'connectors', 'conformance-fixtures.ts');
    writeFileSync(fixturesFile, readFileSync(fixturesFile, 'utf8').replace("'crm-customer-to-scaffold': {", "'renamed-away': {"));
    const invalid = cli('validate');
    expect(invalid.status).toBe(1);
    expect(invalid.output).toMatch(/^connectors\/erp-sales-order-to-scaffold\/connector\.yaml:\d+:19 mapping\[0\]\.actions\[0\]\.http\.method: must be one of "GET"/m);
    expect(invalid.output).toContain('connectors/crm-customer-to-scaffold: no entry in connectors/conformance-fixtures.ts');
    expect(invalid.output).toContain('connectors/conformance-fixtures.ts: an entry for renamed-away, which has no folder');
  }, 300_000);
});
