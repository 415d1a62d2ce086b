export { COMPATIBILITY_LEVELS, DEFAULT_COMPATIBILITY, isCompatibilityLevel, levelRules } from './levels.js';
export type { CompatibilityLevel, LevelRules } from './levels.js';
export { checkCompatibility } from './check.js';
export type { CompatibilityResult, SchemaVersion } from './check.js';
export { explainIncompatibility, canRead, resolveError, describe } from './explain.js';
export type { Incompatibility, IncompatibilityKind } from './explain.js';
