/**
 * Switchboard's testing kit: everything tests use, in one folder. A connector author needs the
 * first group; the platform's own integration, end-to-end and failure tests use the rest.
 *
 * - Mapping tests (no infrastructure): `testEvent`, `mappingContext`, `MemoryXref`, `onlyHttp`.
 * - One event against a real target through the runtime's ActionExecutor: `performEvent`.
 * - The real stack (Kafka, Redis, the built-in registry, runtime workers), isolated by a unique
 *   prefix: `startKitStack`, `useConnectorRig`, `RecordingTarget`.
 * - The conformance suite every connector passes: `runConformanceSuite`.
 * - The whole system as child processes: `startSystem` (with the admin API: `console: true`),
 *   `Systems`, `openSystemBus`, `useFailureSystem`; the CLI as an operator runs it: `runSwitchboard`.
 * - Credentials: `kitCredentials` (services the kit starts require them; its helpers and workers send them).
 * - The outbox relay against real Kafka: `outbox-harness.ts`.
 * - Telemetry: `startOtlpReceiver` (an OTLP/HTTP trace receiver) and each process's `/metrics`
 *   through `RunningSystem.metricsUrls()`.
 * - The web console in a real browser: `launchBrowser` in `./browser.js` (Debian's chromium through
 *   playwright-core; screenshots to `.switchboard/screenshots/`). Import it from there: it is kept
 *   out of this index so that connector tests do not load playwright-core.
 */
export { testEvent, testChange, onlyHttp } from './events.js';
export { MemoryXref, mappingContext } from './memory-xref.js';
export { performEvent, type Performance } from './action-harness.js';
export { runConformanceSuite, type ConformanceFixtures, type FixtureEvent } from './conformance.js';
export { startKitStack, sourceTopicName, type KitStack, type KitStackOptions, type CollectedEvent, type TopicCollector } from './kit-stack.js';
export { createTestDatabase, localPostgres, type TestDatabase } from './kit-postgres.js';
export { confluentPython, produceWithConfluentPython, type ForeignRecord } from './confluent-python.js';
export { RecordingTarget, type RecordedCall, type ResponseBody } from './recording-target.js';
export { useConnectorRig, type ConnectorRig } from './connector-rig.js';
export { startServiceInProcess, type InProcessService, type InProcessServiceOptions } from './in-process-service.js';
export { kitCredentials, type KitCredentials } from './credentials.js';
export { callJson, serviceClient, HttpStatusError, type JsonAnswer, type ServiceClient } from './http.js';
export { eventually, uniquePrefix } from './isolation.js';
export { startSystem, withSystemLog, type RunningSystem, type SystemOptions, type SystemConsole } from './system.js';
export { runSwitchboard, type CliRun } from './cli.js';
export { openSystemBus, deadLetterCounts, parkedCount, type SystemBus } from './system-bus.js';
export { Systems, steps } from './system-clients.js';
export { useFailureSystem, seedCustomersWithAccounts, placeOrders, expectEachOrderOnce, type FailureRig } from './failure-rig.js';
export { committedToEnd, statsWhen, withFastRetries } from './worker-state.js';
export { startOtlpReceiver, SPAN_KIND, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver.js';
export { rowCounts, tableDigests } from './row-counts.js';
export { ensureSchemathesis, runSchemathesis, SCHEMATHESIS_VERSION, type SchemathesisRun } from './schemathesis.js';
