/** The compatibility levels of the Confluent Schema Registry, all supported. */
export const COMPATIBILITY_LEVELS = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;

/** One compatibility level, e.g. `BACKWARD_TRANSITIVE`. */
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

/** Switchboard's default: every new version reads everything written before (docs/architecture.md). */
export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD_TRANSITIVE';

/** True when `value` names a compatibility level (case-sensitive, as Confluent). */
export function isCompatibilityLevel(value: unknown): value is CompatibilityLevel {
  return typeof value === 'string' && (COMPATIBILITY_LEVELS as readonly string[]).includes(value);
}

/** Which reader/writer pairs a level requires, and against which earlier versions. */
export interface LevelRules {
  /** The new schema must read data written with earlier versions. */
  readonly backward: boolean;
  /** Earlier versions must read data written with the new schema. */
  readonly forward: boolean;
  /** Against every earlier live version (true) or only the latest (false). */
  readonly transitive: boolean;
}

/** Splits a level into its rules. */
export function levelRules(level: CompatibilityLevel): LevelRules {
  return {
    backward: level.startsWith('BACKWARD') || level.startsWith('FULL'),
    forward: level.startsWith('FORWARD') || level.startsWith('FULL'),
    transitive: level.endsWith('_TRANSITIVE'),
  };
}
