/**
 * The roles of admin API tokens, weakest first: a viewer reads, an operator also acts on
 * connectors and dead letters, an admin also manages tokens.
 */
export const ROLES = ['viewer', 'operator', 'admin'] as const;

/** One role of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/**
 * True when a token of role `held` may do what needs role `needed`.
 *
 * @example
 * ```ts
 * roleAllows('admin', 'operator'); // true
 * roleAllows('viewer', 'operator'); // false
 * ```
 */
export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

/** True for a role name. */
export function isRole(name: string): name is Role {
  return (ROLES as readonly string[]).includes(name);
}
