import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERRORS } from '../errors/index.js';
import { ConnectorDefinitionError, MappingError, MissingDependencyError, type Action, type HttpAction } from '../sdk/index.js';
import { EXAMPLE_EVENTS } from '../../schemas/examples.js';
import { MemoryXref, mappingContext, onlyHttp, testEvent } from '../../tests/kit/index.js';
import { connectorSchemaIsStale, formatProblem, loadDeclarativeConnector, readDeclarativeConnector } from './index.js';

const created = EXAMPLE_EVENTS['switchboard.crm.CustomerCreated'];
const placed = EXAMPLE_EVENTS['switchboard.crm.OrderPlaced'];

/** A connector file: the given lines after a valid head (name, description, source on crm.customer.v1, target erp). */
function file(...body: string[]): string {
  return [
    'name: test-declarative',
    'description: a connector of the tests',
    'source:',
    '  topics: [crm.customer.v1]',
    '  eventTypes: [switchboard.crm.CustomerCreated, switchboard.crm.CustomerUpdated]',
    ...body,
  ].join('\n');
}
const TARGET = ['target:', '  system: erp'];

/** The problems of `text`, as `line path: message` (the file name left out). */
function problems(text: string): string[] {
  const read = readDeclarativeConnector('test.yaml', text);
  expect(read.definition).toBeUndefined();
  return read.problems.map((p) => `${p.line} ${p.path}: ${p.message}`);
}

function load(text: string) {
  const { definition, problems: found } = readDeclarativeConnector('test.yaml', text);
  if (!definition) throw new Error(found.map(formatProblem).join('\n'));
  return definition;
}

const map = async (text: string, xref = new MemoryXref()): Promise<readonly Action[]> =>
  load(text).map(testEvent('switchboard.crm.CustomerCreated', created), mappingContext({ xref }));

describe('readDeclarativeConnector: problems, each at its line', () => {
  it('reports JSON Schema problems at the line of the value, an unknown property at its key, a missing one at its parent', () => {
    expect(problems(file(...TARGET, 'mapping:', '  - actions:', '      - http:', '          method: FETCH', '          path: /x', '          bodi: value'))).toEqual([
      '13 mapping[0].actions[0].http.bodi: unknown property "bodi"',
      '11 mapping[0].actions[0].http.method: must be one of "GET", "POST", "PUT", "PATCH", "DELETE"',
    ]);
    expect(problems(file('target:', '  system: wms', 'mapping:', '  - when: "true"'))).toEqual([
      '7 target.system: must be one of "crm", "erp", "scm"',
      "9 mapping[0]: must have required property 'actions'",
    ]);
  });

  it('reports a YAML syntax error with its line', () => {
    expect(problems(file(...TARGET, 'mapping:', '  - actions: [', '  oops: ]'))[0]).toMatch(/^10 : /);
  });

  it('compiles every JSONata expression at load and places a syntax error on its line inside a block', () => {
    const text = file(...TARGET, 'mapping:', '  - actions:', '      - http:', '          method: PUT', '          path: /a/{value.customerId}', '          body: |', '            {', "              'name': value.name +", '            }');
    expect(problems(text)).toEqual([expect.stringMatching(/^16 mapping\[0\]\.actions\[0\]\.http\.body: JSONata S0\d{3}: /)]);
    expect(problems(file(...TARGET, 'mapping:', '  - actions:', '      - http: { method: PUT, path: "/a/{value.customerId" }'))).toEqual([
      expect.stringMatching(/^10 mapping\[0\]\.actions\[0\]\.http\.path: placeholder "\{" without its "\}"/),
    ]);
  });

  it("checks what the schema cannot: event types on the topics, one kind per action, the runtime's headers, statuses in two lists, built-in names", () => {
    const text = [
      'name: test-declarative',
      'description: checks',
      'source:',
      '  topics: [crm.customer.v1]',
      '  eventTypes: [switchboard.crm.OrderPlaced]',
      ...TARGET,
      'answers: { retriable: [409] }',
      'mapping:',
      '  - let:',
      '      xref: value.customerId',
      '    actions:',
      '      - http: { method: PUT, path: /a, headers: { Idempotency-Key: mine }, okStatuses: [409] }',
      '        xref.put: { kind: customer, ids: { crm: value.customerId, erp: "1" } }',
      '      - http: { method: PUT, path: a, headers: { Idempotency-Key: mine }, okStatuses: [409] }',
    ].join('\n');
    expect(problems(text)).toEqual([
      '5 source.eventTypes[0]: event type switchboard.crm.OrderPlaced is not published on crm.customer.v1',
      '11 mapping[0].let.xref: $xref is a built-in function; choose another name',
      '13 mapping[0].actions[0]: an action has exactly one of http, produce, xref.put, upsert, not http and xref.put',
      '15 mapping[0].actions[1].http.path: the path starts with "/"',
      '15 mapping[0].actions[1].http.headers.Idempotency-Key: Idempotency-Key is set by the runtime',
      '15 mapping[0].actions[1].http.answers: status 409 is both in retriable and in okStatuses',
    ]);
  });

  it('refuses an http action on a topic target, and a folder whose name is not the connector\'s', () => {
    expect(problems(file('target: { kind: topic }', 'mapping:', '  - actions:', '      - http: { method: PUT, path: /a }'))).toEqual([
      "9 mapping[0].actions[0].http: an http action needs a target system or an http target; this connector's target is a topic",
    ]);
    const root = mkdtempSync(join(tmpdir(), 'declarative-'));
    try {
      mkdirSync(join(root, 'connectors', 'other-name'), { recursive: true });
      const path = join(root, 'connectors', 'other-name', 'connector.yaml');
      writeFileSync(path, file(...TARGET, 'mapping:', '  - actions: []'));
      expect(() => loadDeclarativeConnector(path)).toThrow(ConnectorDefinitionError);
      expect(() => loadDeclarativeConnector(path)).toThrow(/connector\.yaml:1:7 name: must be the folder's name, "other-name"/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('checks which target settings go together, and which actions a target takes', () => {
    expect(problems(file('target: { kind: http, name: partner-api, table: orders }', 'mapping:', '  - actions:', '      - upsert: { row: value }'))).toEqual([
      '6 target.table: table is not a setting of a http target',
      '6 target: a http target needs auth',
      '9 mapping[0].actions[0].upsert: an upsert action needs a postgres target (target: { kind: postgres, name, table })',
    ]);
    expect(problems(file('target: { kind: postgres, name: reporting-db, auth: basic }', 'mapping:', '  - actions:', '      - http: { method: PUT, path: /a }'))).toEqual([
      '6 target.auth: auth is not a setting of a postgres target',
      '6 target: a postgres target needs table',
      "9 mapping[0].actions[0].http: an http action needs a target system or an http target; this connector's target is a PostgreSQL table",
    ]);
  });

  it('loads an external HTTP target and a PostgreSQL target with their settings', () => {
    const http = load(file('target: { kind: http, name: partner-api, auth: oauth2, rateLimit: { perSecond: 5 }, timeoutMs: 2000 }', 'mapping:', '  - actions:', '      - http: { method: POST, path: /customers, body: value }'));
    expect(http.target).toEqual({ kind: 'http', name: 'partner-api', auth: 'oauth2', rateLimit: { perSecond: 5 }, timeoutMs: 2000 });
    const rows = load(file('target: { kind: postgres, name: reporting-db, table: reporting.customers, keyColumn: customer_id }', 'mapping:', '  - actions:', "      - upsert: { row: '{ \"name\": value.name }' }"));
    expect(rows.target).toEqual({ kind: 'postgres', name: 'reporting-db', table: 'reporting.customers', keyColumn: 'customer_id' });
  });

  it('keeps the published JSON Schema in step with the catalogue (switchboard connector schema)', () => {
    expect(connectorSchemaIsStale()).toBe(false);
  });
});

describe('a declarative mapping', () => {
  it('builds upsert actions keyed by the event key unless the file gives a key', async () => {
    const connector = load(file('target: { kind: postgres, name: reporting-db, table: customers }', 'mapping:', '  - actions:', "      - upsert: { row: '{ \"name\": value.name, \"segment\": value.segment }' }", "      - upsert: { key: \"'x-' & key\", row: '{}' }"));
    const actions = await connector.map(testEvent('switchboard.crm.CustomerCreated', created), mappingContext());
    expect(actions).toEqual([
      { kind: 'upsert', key: created.customerId, row: { name: created.name, segment: created.segment } },
      { kind: 'upsert', key: `x-${created.customerId}`, row: {} },
    ]);
  });

  it('is an ordinary ConnectorDefinition with the SDK defaults', () => {
    const definition = load(file(...TARGET, 'options: { concurrency: 4 }', 'mapping:', '  - actions: []'));
    expect(definition).toMatchObject({ name: 'test-declarative', source: { topics: ['crm.customer.v1'] }, target: { system: 'erp' }, options: { concurrency: 4, maxAttempts: 5 } });
  });

  it('builds an http action: path placeholders URL-encoded, header templates, a JSONata body', async () => {
    const action = onlyHttp(await map(file(...TARGET, 'mapping:', '  - actions:', '      - http:', '          method: PUT',
      "          path: /accounts/{value.customerId & '/x y'}", "          headers: { X-Segment: 'seg {value.segment}' }", '          body: "{ \'name\': value.name, \'tags\': [value.segment] }"')));
    expect(action).toEqual({ kind: 'http', method: 'PUT', path: '/accounts/C-1017%2Fx%20y', headers: { 'X-Segment': `seg ${created.segment}` }, body: { name: created.name, tags: [created.segment] } });
  });

  it('skips events the filter rejects, takes the first case whose condition holds, and only actions whose when holds', async () => {
    const text = file(...TARGET, "filter: value.segment != 'NONE'", 'mapping:',
      "  - when: type = 'switchboard.crm.CustomerUpdated'", '    actions:', '      - http: { method: PUT, path: /updated }',
      '  - let:', "      upper: $uppercase(value.name)", '    actions:',
      '      - http: { method: PUT, path: "/first/{$upper}" }', '      - when: "false"', '        http: { method: PUT, path: /never }');
    expect((await map(text)).map((a) => (a as HttpAction).path)).toEqual([`/first/${encodeURIComponent(created.name.toUpperCase())}`]);
    const filtered = load(text.replace("!= 'NONE'", `!= '${created.segment}'`));
    expect(await filtered.map(testEvent('switchboard.crm.CustomerCreated', created), mappingContext())).toEqual([]);
  });

  it('refuses an event with a refusal message, or through $error, as a MappingError', async () => {
    const refusal = file(...TARGET, 'mapping:', '  - refuse:', '      - when: "true"', "        message: 'customer {value.customerId} refused'", '    actions: []');
    await expect(map(refusal)).rejects.toEqual(new MappingError('customer C-1017 refused'));
    await expect(map(file(...TARGET, 'mapping:', '  - actions:', "      - http: { method: PUT, path: \"/{$error('no way')}\" }"))).rejects.toEqual(new MappingError('no way'));
  });

  it('waits for a missing cross-reference through $xref ($findXref gives nothing instead), and reads one that is there', async () => {
    const text = (fn: string) => file(...TARGET, 'mapping:', '  - let:', `      account: ${fn}('customer', 'crm', value.customerId, 'erp')`, '    actions:',
      '      - when: $exists($account)', '        http: { method: PUT, path: "/accounts/{$account}" }');
    await expect(map(text('$xref'))).rejects.toBeInstanceOf(MissingDependencyError);
    expect(await map(text('$findXref'))).toEqual([]);
    const xref = new MemoryXref([['customer', { crm: created.customerId, erp: '100045' }]]);
    expect(onlyHttp(await map(text('$xref'), xref)).path).toBe('/accounts/100045');
  });

  it('fails with the file, line and JSONata error as a mapping bug when an expression breaks on an event', async () => {
    const failure = map(file(...TARGET, 'mapping:', '  - actions:', '      - http:', '          method: PUT', '          path: /a', '          body: value.name + 1'));
    await expect(failure).rejects.toMatchObject({ code: ERRORS.RUNTIME_MAPPING_BUG.code, retriable: false, message: expect.stringMatching(/^test\.yaml:13:\d+ mapping\[0\]\.actions\[0\]\.http\.body: JSONata T2001/) });
    await expect(map(file(...TARGET, 'mapping:', '  - actions:', '      - http: { method: PUT, path: "/a/{value.nothing}" }'))).rejects.toMatchObject({
      code: ERRORS.RUNTIME_MAPPING_BUG.code, message: expect.stringContaining('placeholder {value.nothing} gave nothing'),
    });
  });

  it('classifies answers by its rules (the action\'s over the connector\'s) and maps an answer to follow-up actions', async () => {
    const text = file(...TARGET, 'answers: { final: [503], retriableWhen: "response.body.state = \'LOCKED\'" }', 'mapping:', '  - actions:', '      - http:',
      '          method: POST', '          path: /accounts', '          answers: { retriable: [409], final: [] }', '          onResponse:', '            actions:',
      '              - xref.put: { kind: customer, ids: { crm: value.customerId, erp: response.body.accountNumber } }');
    const action = onlyHttp(await map(text));
    expect(await action.classify?.({ status: 409, body: {} })).toBe('retriable');
    expect(await action.classify?.({ status: 503, body: {} })).toBeUndefined();
    expect(await action.classify?.({ status: 200, body: { state: 'LOCKED' } })).toBe('retriable');
    expect(await action.classify?.({ status: 200, body: {} })).toBeUndefined();
    expect(await action.onResponse?.({ status: 201, body: { accountNumber: 100045 } })).toEqual([{ kind: 'xref.put', objectKind: 'customer', ids: { crm: 'C-1017', erp: '100045' } }]);
    await expect(Promise.resolve().then(() => action.onResponse?.({ status: 201, body: {} }))).rejects.toBeInstanceOf(MappingError);
    // Each field of the action's rules replaces the connector's; fields it does not set come from the connector.
    const inherited = onlyHttp(await map(text.replace('          answers: { retriable: [409], final: [] }\n', '')));
    expect(await inherited.classify?.({ status: 503, body: {} })).toBe('final');
  });

  it('builds produce actions for a topic target', async () => {
    const definition = load([
      'name: test-declarative', 'description: produce', 'source: { topics: [crm.order.v1], eventTypes: [switchboard.crm.OrderPlaced] }', 'target: { kind: topic }', 'mapping:', '  - actions:',
      '      - produce:', '          eventType: switchboard.crm.OrderPlaced', '          key: value.orderId', '          value: \'$merge([value, { "currency": "EUR" }])\'',
    ].join('\n'));
    expect(await definition.map(testEvent('switchboard.crm.OrderPlaced', placed), mappingContext())).toEqual([
      { kind: 'produce', eventType: 'switchboard.crm.OrderPlaced', key: placed.orderId, value: JSON.parse(JSON.stringify({ ...placed, currency: 'EUR' })) },
    ]);
    // What it produces is part of its target (the console draws the system those events belong to).
    expect(definition.target).toEqual({ kind: 'topic', produces: ['switchboard.crm.OrderPlaced'] });
  });
});
