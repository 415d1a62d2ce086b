/**
 * The tracking projection of the console (`switchboard console`): every event of every system
 * and every connector outcome, per business object, in SQLite; "where is order X?" and the
 * business dashboard are answered from it. See docs/operations.md#the-tracking-projection.
 */
export { TrackingProjection, operatorActionsOf, xrefAliasesOf, type TrackedConnector, type TrackingProjectionOptions } from './tracking-projection.js';
export { TrackingStore, type TrackedEvent, type OperatorAction, type DueDelivery } from './tracking-store.js';
export { TrackQuery, type TrackAnswer, type TrackStep, type EventStep, type OutcomeStep, type WaitingDelivery, type OrderProgress, type SubjectMatch } from './track-query.js';
export { DashboardQuery, nearestRank, type Dashboard, type DurationStats } from './dashboard-query.js';
export { loadTrackingConfig, defaultTrackingDbPath, type TrackingConfig } from './tracking-config.js';
export { eventFacts, centsOf, SUBJECT_KINDS, SUBJECT_LABELS, type SubjectKind, type Subject, type Alias, type EventFacts } from './event-facts.js';
export { retryOutcomeOf, deadLetterOutcomeOf, OUTCOME_KINDS, type OutcomeKind, type OutcomeFact } from './connector-outcomes.js';
export { DeliverySettler, nextCheckDelay } from './delivery-settler.js';
export { LiveRates } from './live-rates.js';
export { GroupCommit } from './group-commit.js';
