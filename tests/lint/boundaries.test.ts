/**
 * The layer boundaries are enforced by `npm run lint` (eslint.config.js). These tests lint
 * deliberate violations through ESLint's own API and show that each one fails, and that the
 * allowed imports pass.
 */
import { jest } from '@jest/globals';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

/** The no-restricted-imports messages ESLint reports for `code` placed at `filePath`. */
async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('layer boundaries (eslint no-restricted-imports)', () => {
  jest.setTimeout(60_000);

  it('keeps kafkajs behind hub/bus', async () => {
    expect(await boundaryErrors('hub/runtime/violation.ts', "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n")).toEqual([expect.stringMatching(/kafkajs lives behind hub\/bus/)]);
    expect(await boundaryErrors('services/crm/violation.ts', "import kafkajs from 'kafkajs';\nexport const k = kafkajs;\n")).toHaveLength(1);
    expect(await boundaryErrors('hub/bus/allowed.ts', "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n")).toEqual([]);
  });

  it('keeps the SDK independent of the runtime', async () => {
    expect(await boundaryErrors('hub/sdk/violation.ts', "import { classifyFailure } from '../runtime/errors.js';\nexport const c = classifyFailure;\n"))
      .toEqual([expect.stringMatching(/SDK must not depend on the runtime/)]);
    expect(await boundaryErrors('hub/sdk/allowed.ts', "import { MappingError } from '../errors/index.js';\nexport const e = MappingError;\n")).toEqual([]);
  });

  it('lets a connector import only the SDK, the catalogue and its own files', async () => {
    const at = 'connectors/some-connector/connector.ts';
    expect(await boundaryErrors(at, "import { ConnectorWorker } from '../../hub/runtime/connector-worker.js';\nexport const w = ConnectorWorker;\n")).toHaveLength(1);
    expect(await boundaryErrors(at, "import { topicSpec } from '../../topics/catalogue.js';\nexport const t = topicSpec;\n")).toHaveLength(1);
    expect(await boundaryErrors(at, "import { EXAMPLE_EVENTS } from '../../schemas/examples.js';\nexport const e = EXAMPLE_EVENTS;\n")).toHaveLength(1);
    expect(await boundaryErrors(at, "import other from '../other-connector/connector.js';\nexport const o = other;\n")).toHaveLength(1);
    expect(await boundaryErrors(at, "import { request } from 'undici';\nexport const r = request;\n")).toHaveLength(1);
    expect(await boundaryErrors(at, [
      "import { defineConnector } from '../../hub/sdk/index.js';",
      "import { keyOf } from '../../catalogue/index.js';",
      "import { helper } from './helper.js';",
      'export const all = [defineConnector, keyOf, helper];',
    ].join('\n'))).toEqual([]);
  });

  it('lets the registry alone load YAML connectors through the declarative loader', async () => {
    const loader = "import { loadDeclarativeConnector } from '../hub/declarative/index.js';\nexport const l = loadDeclarativeConnector;\n";
    expect(await boundaryErrors('connectors/index.ts', loader)).toEqual([]);
    expect(await boundaryErrors('connectors/index.ts', "import c from './crm-order-to-erp/connector.js';\nexport const x = c;\n")).toEqual([]);
    expect(await boundaryErrors('connectors/index.ts', "import { ConnectorWorker } from '../hub/runtime/connector-worker.js';\nexport const w = ConnectorWorker;\n")).toHaveLength(1);
    expect(await boundaryErrors('connectors/some-connector/connector.ts', loader.replace('../hub/', '../../hub/'))).toHaveLength(1);
  });

  it('keeps hub/ free of services and connectors', async () => {
    expect(await boundaryErrors('hub/cli/violation.ts', "import { SERVICE_APPS } from '../../services/index.js';\nexport const s = SERVICE_APPS;\n"))
      .toEqual([expect.stringMatching(/never imports services or connectors/)]);
    expect(await boundaryErrors('hub/runtime/violation.ts', "import { CONNECTORS } from '../../connectors/index.js';\nexport const c = CONNECTORS;\n")).toHaveLength(1);
  });

  it('keeps services apart from the runtime, the connectors and each other', async () => {
    expect(await boundaryErrors('services/crm/violation.ts', "import { ActionExecutor } from '../../hub/runtime/action-executor.js';\nexport const a = ActionExecutor;\n")).toHaveLength(1);
    expect(await boundaryErrors('services/crm/violation.ts', "import { Accounts } from '../erp/accounts.js';\nexport const a = Accounts;\n")).toHaveLength(1);
    expect(await boundaryErrors('services/crm/allowed.ts', "import { runCommand } from '../../hub/service/index.js';\nimport { keyOf } from '../../catalogue/index.js';\nexport const r = [runCommand, keyOf];\n")).toEqual([]);
  });
});
