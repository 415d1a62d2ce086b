/**
 * What `stack up --secure` changes in a node's server.properties, and the client settings that
 * go with it.
 *
 * Listeners of a secure node:
 * - `CLIENT` (SASL_SSL, SCRAM-SHA-512) on the client port: every client, and the brokers among
 *   themselves as the `admin` super user. The admin's SCRAM credential is written into the
 *   metadata log at format time, so inter-broker logins work from the first start, and no third
 *   port per node is needed (the port layout stays that of the plain cluster).
 * - `CONTROLLER` (SSL with client certificates required) on the controller port. KRaft
 *   controllers cannot check SCRAM (the credentials live in the metadata log they serve), and a
 *   PLAINTEXT controller listener would make its peers `User:ANONYMOUS`, which would then have to
 *   be a super user: any local process could then alter ACLs through it. With mutual TLS the
 *   brokers and controllers are `User:CN=switchboard-broker`, a super user nobody else can be.
 */
import type { KafkaNode } from './kafka-config.js';
import { KAFKA_ADMIN_USER } from './secure-credentials.js';
import { BROKER_CERT_SUBJECT, type TlsFiles } from './tls.js';

/** SASL mechanism of a secure cluster, as Kafka names it and as kafkajs / KAFKA_SASL_MECHANISM name it. */
export const SCRAM_MECHANISM = 'SCRAM-SHA-512';
export const CLIENT_SASL_MECHANISM = 'scram-sha-512' as const;

/** The secrets and files a secure node needs. */
export interface KafkaSecurity {
  readonly tls: TlsFiles;
  readonly storePassword: string;
  readonly adminPassword: string;
}

/** The principals no ACL restricts: the admin (clients and inter-broker) and the brokers' certificate (controller). */
export const SUPER_USERS = [`User:${KAFKA_ADMIN_USER}`, `User:${BROKER_CERT_SUBJECT}`];

/** The JAAS line logging in with SCRAM as `username`. */
export function scramJaas(username: string, password: string): string {
  return `org.apache.kafka.common.security.scram.ScramLoginModule required username="${username}" password="${password}";`;
}

/**
 * Entries that replace the plain node's listeners with TLS + SASL/SCRAM and turn on KRaft's
 * StandardAuthorizer (deny when no ACL matches). Merge over `serverProperties(node, nodes)`.
 *
 * @example
 * ```ts
 * const props = { ...serverProperties(node, nodes), ...secureServerProperties(node, security) };
 * ```
 */
export function secureServerProperties(node: KafkaNode, security: KafkaSecurity): Record<string, string> {
  return {
    listeners: `CLIENT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`,
    'advertised.listeners': `CLIENT://127.0.0.1:${node.port}`,
    'listener.security.protocol.map': 'CLIENT:SASL_SSL,CONTROLLER:SSL',
    'inter.broker.listener.name': 'CLIENT',
    'sasl.enabled.mechanisms': SCRAM_MECHANISM,
    'sasl.mechanism.inter.broker.protocol': SCRAM_MECHANISM,
    'listener.name.client.scram-sha-512.sasl.jaas.config': scramJaas(KAFKA_ADMIN_USER, security.adminPassword),
    'listener.name.controller.ssl.client.auth': 'required',
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': security.tls.keystore,
    'ssl.keystore.password': security.storePassword,
    'ssl.key.password': security.storePassword,
    'ssl.truststore.type': 'PKCS12',
    'ssl.truststore.location': security.tls.truststore,
    'ssl.truststore.password': security.storePassword,
    'ssl.endpoint.identification.algorithm': 'https',
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'super.users': SUPER_USERS.join(';'),
    'allow.everyone.if.no.acl.found': 'false',
  };
}

/** The StorageTool arguments that create the admin's SCRAM credential when a node is formatted. */
export function scramFormatArgs(adminPassword: string): string[] {
  return ['--add-scram', `${SCRAM_MECHANISM}=[name=${KAFKA_ADMIN_USER},password=${adminPassword}]`];
}

/** Client properties of Kafka's Java tools (ConfigCommand, AclCommand) logging in as admin. */
export function adminToolProperties(security: KafkaSecurity): Record<string, string> {
  return {
    'security.protocol': 'SASL_SSL',
    'sasl.mechanism': SCRAM_MECHANISM,
    'sasl.jaas.config': scramJaas(KAFKA_ADMIN_USER, security.adminPassword),
    'ssl.truststore.type': 'PKCS12',
    'ssl.truststore.location': security.tls.truststore,
    'ssl.truststore.password': security.storePassword,
  };
}

/**
 * `client.env`: what a Switchboard process needs to reach the secure cluster, in the
 * `KAFKA_*` variables of hub/bus (`KAFKA_SSL_CA_FILE` is the one hub/bus does not read yet).
 * Carries the admin's password: for provisioning only; services get their own principals.
 */
export function clientEnv(brokers: readonly string[], caPem: string, username: string, password: string): string {
  return [
    '# Written by switchboard stack up --secure. Secret: mode 0600; do not commit or print.',
    `KAFKA_BROKERS=${brokers.join(',')}`,
    'KAFKA_SSL=true',
    `KAFKA_SSL_CA_FILE=${caPem}`,
    `KAFKA_SASL_MECHANISM=${CLIENT_SASL_MECHANISM}`,
    `KAFKA_SASL_USERNAME=${username}`,
    `KAFKA_SASL_PASSWORD=${password}`,
    '',
  ].join('\n');
}
