/**
 * Switchboard's testing kit: everything tests use, in one folder. A connector author needs the
 * first group; the platform's own integration, end-to-end and failure tests use the rest.
 *
 * - Mapping tests (no infrastructure): `testEvent`, `mappingContext`, `MemoryXref`, `onlyHttp`.
 * - One event against a real target through the runtime's ActionExecutor: `performEvent`.
 * - The real stack (Kafka, Redis, the built-in registry, runtime workers), isolated by a unique
 *   prefix: `startKitStack`, `useConnectorRig`, `RecordingTarget`.
 * - The conformance suite every connector passes: `runConformanceSuite`.
 * - The whole system as child processes: `startSystem`, `Systems`, `openSystemBus`, `useFailureSystem`.
 * - The outbox relay against real Kafka: `outbox-harness.ts`.
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
export { startServiceInProcess, type InProcessService } from './in-process-service.js';
export { callJson, serviceClient, HttpStatusError, type JsonAnswer, type ServiceClient } from './http.js';
export { eventually, uniquePrefix } from './isolation.js';
export { startSystem, withSystemLog, type RunningSystem, type SystemOptions } from './system.js';
export { openSystemBus, deadLetterCounts, parkedCount, type SystemBus } from './system-bus.js';
export { Systems, steps } from './system-clients.js';
export { useFailureSystem, seedCustomersWithAccounts, placeOrders, expectEachOrderOnce, type FailureRig } from './failure-rig.js';
export { committedToEnd, statsWhen, withFastRetries } from './worker-state.js';
