import { SYSTEM_NAMES, type SystemName } from '../../catalogue/index.js';

/**
 * What a credential may do on the systems' APIs. A scope is one of
 *
 * - `<system>:<METHOD> <route>`: one route, written as the service's route table declares it,
 *   e.g. `erp:POST /sales-orders` or `erp:PUT /accounts/:crmCustomerId`;
 * - `<system>:*`: every route of one system;
 * - `*`: every route of every system (people's `operator` credential).
 *
 * Scopes govern writes (every method but GET and HEAD). Reads need no scope: they are open, or,
 * with `SERVICE_AUTH_READS=required`, open to any valid credential.
 *
 * @example
 * ```ts
 * routeScope('erp', 'POST', '/sales-orders');                        // 'erp:POST /sales-orders'
 * scopeAllows(['erp:POST /sales-orders'], 'erp', 'POST', '/sales-orders'); // true
 * scopeAllows(['erp:*'], 'crm', 'POST', '/orders');                  // false
 * ```
 */
export type Scope = string;

/** Methods that change state and so need a scope. */
export const WRITE_METHODS: readonly string[] = Object.freeze(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True for methods that change state (POST, PUT, PATCH, DELETE). */
export function isWriteMethod(method: string): boolean {
  return WRITE_METHODS.includes(method.toUpperCase());
}

/** The scope of one route: `<system>:<METHOD> <route>`. */
export function routeScope(system: SystemName | string, method: string, route: string): Scope {
  return `${system}:${method.toUpperCase()} ${route}`;
}

const ROUTE_SCOPE = new RegExp(`^(${SYSTEM_NAMES.join('|')}):(POST|PUT|PATCH|DELETE|GET) (/[A-Za-z0-9/:._-]*)$`);
const SYSTEM_SCOPE = new RegExp(`^(${SYSTEM_NAMES.join('|')}):\\*$`);

/** Why `scope` is not well formed, or undefined when it is. */
export function scopeProblem(scope: string): string | undefined {
  if (scope === '*' || SYSTEM_SCOPE.test(scope) || ROUTE_SCOPE.test(scope)) return undefined;
  return `scope ${JSON.stringify(scope)} must be "*", "<system>:*" or "<system>:<METHOD> <route>" (systems: ${SYSTEM_NAMES.join(', ')}), e.g. "erp:POST /sales-orders"`;
}

/** True when one of `scopes` covers `method route` on `system`. */
export function scopeAllows(scopes: readonly Scope[], system: SystemName | string, method: string, route: string): boolean {
  const wanted = routeScope(system, method, route);
  return scopes.some((scope) => scope === '*' || scope === `${system}:*` || scope === wanted);
}
