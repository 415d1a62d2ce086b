import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers, enforced (docs/architecture.md explains them):
 * - kafkajs lives behind hub/bus; only the benchmarks' bare baselines touch it directly.
 * - The SDK imports nothing from the runtime.
 * - A connector imports only the SDK and the catalogue (its tests and the conformance table may use the testing kit);
 *   the registry, connectors/index.ts, may also import the declarative loader (YAML connectors).
 * - hub/ imports neither services nor connectors (bin/ is the composition root).
 * - A service imports neither the runtime, nor a connector, nor another service.
 * A file matching several blocks gets the rule of the last one, so each block lists everything it forbids.
 */
const TESTS = ['**/*.test.ts', 'tests/**', 'connectors/conformance-fixtures.ts'];
const KAFKAJS = { group: ['kafkajs', 'kafkajs/*'], message: 'kafkajs lives behind hub/bus: use Bus, BusProducer, BusConsumer or BusAdmin from hub/bus/index.js.' };
const HUB_ONLY_OUTWARDS = {
  group: ['**/services/**', '**/connectors/**'],
  message: 'hub/ is the platform: it never imports services or connectors (the composition root bin/ hands them over).',
};
const restrict = (files, patterns, ignores = []) => ({ files, ignores, rules: { 'no-restricted-imports': ['error', { patterns }] } });
/** The service folders (one per system of the catalogue). */
const SERVICES = readdirSync(new URL('./services/', import.meta.url), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);

export default tseslint.config(
  { ignores: ['node_modules/**', '.switchboard/**', 'coverage/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  { files: ['**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } } },
  // The web console's pages run in the browser (ES modules served as they are, no bundler).
  {
    files: ['ui/**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(['window', 'document', 'location', 'sessionStorage', 'fetch', 'AbortController', 'TextDecoderStream', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'console', 'URL', 'ResizeObserver']
        .map((name) => [name, 'readonly'])),
    },
  },

  // Everywhere: no kafkajs outside the bus (and the benchmarks' bare baselines).
  restrict(['**/*.ts'], [KAFKAJS], ['hub/bus/**', 'bench/**']),
  // hub/: the platform.
  restrict(['hub/**/*.ts'], [KAFKAJS, HUB_ONLY_OUTWARDS], ['hub/bus/**', 'hub/sdk/**', ...TESTS]),
  // The SDK: what connector authors import; nothing from the runtime.
  restrict(['hub/sdk/**/*.ts'], [KAFKAJS, HUB_ONLY_OUTWARDS, {
    group: ['**/runtime/**', '../runtime/*'],
    message: 'The SDK must not depend on the runtime: errors authors throw live in hub/errors, types in hub/sdk.',
  }], TESTS),
  // Connectors: the SDK and the catalogue, nothing else.
  restrict(['connectors/**/*.ts'], [{
    regex: '^(?!\\./|\\.\\./\\.\\./hub/sdk/index\\.js$|\\.\\./\\.\\./catalogue/index\\.js$|\\.\\./hub/sdk/index\\.js$)',
    message: 'A connector imports only ../../hub/sdk/index.js, ../../catalogue/index.js and files of its own folder.',
  }], [...TESTS, 'connectors/index.ts']),
  // The registry (connectors/index.ts) lists the connectors, and a connector written as YAML is
  // loaded there, so the registry alone may also import the declarative loader.
  restrict(['connectors/index.ts'], [{
    regex: '^(?!\\./[a-z0-9-]+/connector\\.js$|\\.\\./hub/sdk/index\\.js$|\\.\\./hub/declarative/index\\.js$)',
    message: 'The registry imports only the connectors (./<name>/connector.js), ../hub/sdk/index.js and ../hub/declarative/index.js.',
  }]),
  // Services: their own folder, hub/service and the other platform pieces they run on; never the runtime, a connector or another service.
  ...SERVICES.map((name) =>
    restrict([`services/${name}/**/*.ts`], [KAFKAJS, {
      group: ['**/hub/runtime/**', '**/connectors/**', ...SERVICES.filter((other) => other !== name).flatMap((other) => [`**/services/${other}/**`, `../${other}/**`, `../../${other}/**`])],
      message: 'A service never imports the connector runtime, a connector or another service: systems meet only through events.',
    }], TESTS),
  ),
);
