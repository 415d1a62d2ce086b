/**
 * The connector test kit: the conformance suite every connector passes, and the pieces to
 * test a connector on the real local stack (isolated stack, recording HTTP target).
 */
export { runConformanceSuite, type ConformanceFixtures, type FixtureEvent } from './conformance.js';
export { startKitStack, type KitStack, type KitStackOptions, type CollectedEvent, type TopicCollector } from './kit-stack.js';
export { RecordingTarget, type RecordedCall } from './recording-target.js';
export { mappingContext, memoryXref } from './mapping-context.js';
