/** The bus: Switchboard's own small interface over Kafka (kafkajs stays behind it). */
export { Bus } from './bus.js';
export { loadBusConfig, type BusConfig } from './bus-config.js';
export { BusProducer, type OutgoingRecord, type BusProducerOptions } from './bus-producer.js';
export { BusConsumer, type ConsumedRecord, type BusConsumerOptions, decodeHeaders } from './bus-consumer.js';
export { BusAdmin, type DesiredTopic, type ExistingTopic, type PartitionOffsets, type CommittedOffset, type GroupDescription } from './bus-admin.js';
export { type AclGrant, type AclOperation } from './acls.js';
export { CompactedLog, CompactedLogError, type CompactedRecord, type CompactedLogOptions } from './compacted-log.js';
export { TopicTail, type TopicTailOptions } from './topic-tail.js';
export { Leadership, type LeadershipOptions, type LeadershipView } from './leadership.js';
export { toEventHeaders, fromEventHeaders, causedBy, HEADER, AVRO_CONTENT_TYPE, type EventMetadata } from './event-headers.js';
export { parseTraceparent, formatTraceparent, childTraceparent, newSpanId, newTraceId, type TraceContext } from './traceparent.js';
export { PublishError, InvalidHeadersError, ProducerClosedError, ConsumerStoppingError, BusAccessDeniedError, asAccessDenied } from './bus-errors.js';
