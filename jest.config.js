// Tests exercise the TypeScript sources, also in the child processes they start through
// bin/switchboard.js (which otherwise prefers the compiled dist/, possibly older than the sources).
process.env.SWITCHBOARD_FROM_SOURCE ??= '1';

// Two projects: `unit` needs no infrastructure; `integration` runs against the real local
// stack (Kafka + Redis), which its global setup starts when it is not already running.
const common = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }] },
  modulePathIgnorePatterns: ['<rootDir>/.switchboard/'],
};

/** @type {import('jest').Config} */
export default {
  // Integration tests wait on a real broker; unit tests finish long before this.
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.int\\.test\\.ts$'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int.test.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
      globalSetup: '<rootDir>/tests/setup/global-setup.js',
      globalTeardown: '<rootDir>/tests/setup/global-teardown.js',
    },
  ],
};
