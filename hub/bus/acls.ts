import kafkajs, { type AclEntry } from 'kafkajs';

// kafkajs is CommonJS; Node's ESM loader cannot see every named export.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

/** An operation an ACL allows. */
export type AclOperation = 'all' | 'read' | 'write' | 'create' | 'delete' | 'alter' | 'describe' | 'describe-configs' | 'alter-configs' | 'idempotent-write';

/**
 * One grant: `principal` may do `operations` on the resource(s) `name` names.
 *
 * @example
 * ```ts
 * const grant: AclGrant = { principal: 'User:svc-crm', resource: 'topic', name: 'crm.', pattern: 'prefixed', operations: ['write'] };
 * ```
 */
export interface AclGrant {
  /** e.g. `User:svc-a`. */
  readonly principal: string;
  readonly resource: 'topic' | 'group' | 'cluster' | 'transactional-id';
  /** Topic, group or transactional id (or its prefix); `kafka-cluster` for the cluster. */
  readonly name: string;
  /** `literal` (default) or `prefixed`: every name starting with `name`. */
  readonly pattern?: 'literal' | 'prefixed';
  readonly operations: readonly AclOperation[];
  /** Host the principal connects from; default any (`*`). */
  readonly host?: string;
}

const OPERATIONS: Record<AclOperation, number> = {
  all: AclOperationTypes.ALL,
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  create: AclOperationTypes.CREATE,
  delete: AclOperationTypes.DELETE,
  alter: AclOperationTypes.ALTER,
  describe: AclOperationTypes.DESCRIBE,
  'describe-configs': AclOperationTypes.DESCRIBE_CONFIGS,
  'alter-configs': AclOperationTypes.ALTER_CONFIGS,
  'idempotent-write': AclOperationTypes.IDEMPOTENT_WRITE,
};

const RESOURCES: Record<AclGrant['resource'], number> = {
  topic: AclResourceTypes.TOPIC,
  group: AclResourceTypes.GROUP,
  cluster: AclResourceTypes.CLUSTER,
  'transactional-id': AclResourceTypes.TRANSACTIONAL_ID,
};

/** The kafkajs ACL entries (ALLOW) of a list of grants, one per operation. */
export function aclEntries(grants: readonly AclGrant[]): AclEntry[] {
  return grants.flatMap((grant) =>
    grant.operations.map((operation) => ({
      principal: grant.principal,
      host: grant.host ?? '*',
      resourceType: RESOURCES[grant.resource],
      resourceName: grant.name,
      resourcePatternType: grant.pattern === 'prefixed' ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
      operation: OPERATIONS[operation],
      permissionType: AclPermissionTypes.ALLOW,
    })),
  ) as AclEntry[];
}
