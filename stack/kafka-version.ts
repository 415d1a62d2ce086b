/**
 * The Apache Kafka release the local stack runs, pinned in this one place.
 *
 * 3.9.x is the line kafkajs 2.2.4 users report working with KRaft; 4.x drops old protocol
 * versions and switches to log4j2, so moving to it needs kafkajs proven against it first.
 */
export const KAFKA_VERSION = '3.9.1';

/** Scala build of the broker artifact (`kafka_<scala>`). */
export const KAFKA_SCALA_VERSION = '2.13';

/**
 * Maven coordinates resolved into the cache. The broker artifact brings no logging backend
 * (without one it starts and prints nothing), so 3.9's reload4j binding is added, at the
 * versions in Kafka 3.9's gradle/dependencies.gradle.
 */
export const KAFKA_ARTIFACTS: readonly { groupId: string; artifactId: string; version: string }[] = [
  { groupId: 'org.apache.kafka', artifactId: `kafka_${KAFKA_SCALA_VERSION}`, version: KAFKA_VERSION },
  { groupId: 'org.slf4j', artifactId: 'slf4j-reload4j', version: '1.7.36' },
  { groupId: 'ch.qos.reload4j', artifactId: 'reload4j', version: '1.2.25' },
];

/** The lowest Java major version Kafka 3.9 brokers are run on here (Debian's openjdk-17). */
export const MIN_JAVA_MAJOR = 17;
