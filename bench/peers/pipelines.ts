/**
 * The Redpanda Connect configs of the peer benchmark, as objects (written out as JSON, which
 * is YAML too). Each mirrors one figure of bench/connector-throughput.bench.ts, on the same
 * broker with the same records:
 *
 *  - passthrough: topic → topic, bytes, key and CloudEvents headers as they are
 *    (our figure: "bare kafkajs consume→produce passthrough");
 *  - avro: decode CustomerCreated through our schema registry, map it to a
 *    CustomerAccountOpened as our topic→topic connector does, encode through the registry,
 *    produce with new CloudEvents headers (our figure: "connector topic→topic");
 *  - http: decode OrderPlaced, POST `{ orderId }` to /orders/<id>/placements of the same
 *    kind of local target, with the headers our runtime sends (our figure: "connector
 *    topic→HTTP"), partitions read in order.
 *
 * Every pipeline consumes with a fresh consumer group from the earliest offset; the
 * producing ones write uncompressed (as kafkajs does), idempotently, with Kafka's murmur2
 * partitioner (as our producers do), keyed by the source key. Errored messages are never
 * written: `reject_errored` nacks them, so a broken mapping stalls the run (and the bench
 * fails on its timeout) instead of producing wrong bytes fast.
 */

/** A config, serialised with JSON.stringify (valid YAML). */
export type PipelineConfig = Record<string, unknown>;

/** What every pipeline needs to know. */
export interface PipelineCommon {
  readonly brokers: readonly string[];
  readonly inputTopic: string;
  /** A consumer group no earlier run used. */
  readonly group: string;
}

/** The CloudEvents headers our producers write (hub/bus/event-headers.ts): carried over as Kafka headers. */
const EVENT_HEADER_PATTERNS = ['^ce_', '^content-type$', '^correlation_id$', '^causation_id$', '^traceparent$'];

/** Settings shared by every config: no HTTP server (runs share the machine), warnings only, a short shutdown. */
function service(input: PipelineConfig, processors: PipelineConfig[], output: PipelineConfig): PipelineConfig {
  return {
    http: { enabled: false },
    logger: { level: 'WARN', format: 'logfmt' },
    input,
    pipeline: { processors },
    output: { reject_errored: output },
    shutdown_timeout: '5s',
  };
}

/**
 * The input of every pipeline: `redpanda`, the franz-go consumer that hands on one batch per
 * partition at a time (the records of a fetch, up to max_yield_batch_bytes, 32 KB) and the
 * next one of that partition only once the output took it, so each partition's order is
 * kept, as our runtime keeps each key's. Not `kafka_franz`: same client, but without a
 * batching policy it hands on single records (up to checkpoint_limit, 1024, of a partition
 * in flight, in no set order); here it drained the same records 5 to 20 times slower.
 */
function kafkaInput(common: PipelineCommon): PipelineConfig {
  return { redpanda: { seed_brokers: common.brokers, topics: [common.inputTopic], consumer_group: common.group, start_offset: 'earliest' } };
}

function kafkaOutput(brokers: readonly string[], topic: string): PipelineConfig {
  return {
    kafka_franz: {
      seed_brokers: brokers,
      topic,
      key: '${! @kafka_key }',
      partitioner: 'murmur2_hash',
      compression: 'none',
      idempotent_write: true,
      metadata: { include_patterns: EVENT_HEADER_PATTERNS },
    },
  };
}

/** (a) topic → topic passthrough of the bytes, key and event headers. */
export function passthroughConfig(common: PipelineCommon & { readonly outputTopic: string }): PipelineConfig {
  return service(kafkaInput(common), [], kafkaOutput(common.brokers, common.outputTopic));
}

/** What the topic→topic mapping writes besides the consumed customer's id and name. */
export interface AccountConstants {
  /** CustomerAccountOpened's creditLimit.amount as its Avro bytes (decimal, unscaled two's complement). */
  readonly creditLimitBytes: Buffer;
  readonly currency: string;
  readonly creditStatus: string;
  readonly openedAtMs: number;
  /** ce_source and ce_type of CustomerAccountOpened. */
  readonly ceSource: string;
  readonly ceType: string;
}

/** An Avro decimal's bytes: the unscaled value (`amount` × 10^scale), big-endian two's complement, shortest form. */
export function decimalBytes(amount: string, scale: number): Buffer {
  const [whole, fraction = ''] = amount.split('.');
  let unscaled = BigInt(whole + fraction.padEnd(scale, '0').slice(0, scale));
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(unscaled & 0xffn));
    unscaled >>= 8n;
  } while (!((unscaled === 0n && bytes[0] < 0x80) || (unscaled === -1n && bytes[0] >= 0x80)));
  return Buffer.from(bytes);
}

/**
 * The Avro JSON text of `bytes` (what schema_registry_encode parses, by default, with
 * goavro): a string of \u00XX escapes, one a byte. goavro reads an unescaped non-ASCII
 * character as its UTF-8 bytes, and Bloblang's JSON serialisation never writes such escapes,
 * so a decimal whose bytes go above 0x7f can only be passed as text; see avroConfig.
 */
export function avroJsonBytes(bytes: Buffer): string {
  return `"${[...bytes].map((b) => `\\u${b.toString(16).padStart(4, '0')}`).join('')}"`;
}

const AMOUNT_PLACEHOLDER = '__credit_limit_amount__';

/**
 * (b) CustomerCreated → CustomerAccountOpened through the registry: decode (Avro JSON),
 * the mapping of bench/connector-throughput.bench.ts's topicConnector (id, account number
 * `A-<id>`, name; the rest constant), encode with the latest schema of `subject`, produce
 * under the consumed key with CloudEvents headers caused by the consumed event's. The
 * mapping ends by writing its document as JSON text with the credit limit's decimal bytes
 * escaped (see avroJsonBytes); the encoder would serialise the document to text anyway.
 */
export function avroConfig(
  common: PipelineCommon & { readonly outputTopic: string; readonly registryUrl: string; readonly subject: string; readonly account: AccountConstants },
): PipelineConfig {
  const a = common.account;
  const mapping = [
    'meta causation_id = @ce_id',
    'meta ce_id = uuid_v4()',
    `meta ce_source = ${JSON.stringify(a.ceSource)}`,
    `meta ce_type = ${JSON.stringify(a.ceType)}`,
    'meta ce_time = now()',
    'let account = {',
    '  "crmCustomerId": this.customerId,',
    '  "accountNumber": "A-" + this.customerId,',
    '  "name": this.name,',
    `  "creditLimit": {"amount": "${AMOUNT_PLACEHOLDER}", "currency": ${JSON.stringify(a.currency)}},`,
    `  "creditStatus": ${JSON.stringify(a.creditStatus)},`,
    `  "openedAt": ${a.openedAtMs}`,
    '}',
    // The document as Avro JSON text, the decimal's bytes escaped (see avroJsonBytes).
    `root = $account.format_json(no_indent: true).string().replace_all(${JSON.stringify(`"${AMOUNT_PLACEHOLDER}"`)}, ${JSON.stringify(avroJsonBytes(a.creditLimitBytes))})`,
  ].join('\n');
  return service(
    kafkaInput(common),
    [
      { schema_registry_decode: { url: common.registryUrl } },
      { mapping },
      { schema_registry_encode: { url: common.registryUrl, subject: common.subject } },
    ],
    kafkaOutput(common.brokers, common.outputTopic),
  );
}

/**
 * (c) OrderPlaced → POST `<target>/orders/<orderId>/placements` with `{"orderId": ...}`
 * and the headers of hub/runtime/http-caller.ts (idempotency key `<connector>:<ce_id>`,
 * correlation and causation ids). With the `redpanda` input one batch per partition is in
 * flight, and http_client POSTs a batch's records one after the other and takes the next
 * batch of the partition only once they all succeeded (it signals no early dispatch, unlike
 * the kafka_franz output), so at most one request per partition is in flight, in order:
 * the ordered setting, the equivalent of max_in_flight 1 per partition. max_in_flight 64
 * (the default) only lets the six partitions' batches go out side by side.
 */
export function httpConfig(common: PipelineCommon & { readonly registryUrl: string; readonly targetUrl: string; readonly connectorName: string }): PipelineConfig {
  const mapping = ['meta order_id = this.orderId', 'root = {"orderId": this.orderId}'].join('\n');
  return service(
    kafkaInput(common),
    [{ schema_registry_decode: { url: common.registryUrl } }, { mapping }],
    {
      http_client: {
        url: `${common.targetUrl}/orders/\${! @order_id }/placements`,
        verb: 'POST',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          'Idempotency-Key': `${common.connectorName}:\${! @ce_id }`,
          'X-Correlation-Id': '${! @correlation_id }',
          'X-Causation-Id': '${! @ce_id }',
        },
        max_in_flight: 64,
      },
    },
  );
}
