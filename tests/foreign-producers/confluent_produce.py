"""Publishes events the way an existing system does with Confluent's Python client.

Reads one JSON document from stdin:
  {"bootstrap": "127.0.0.1:9092", "registry": "http://127.0.0.1:8081",
   "records": [{"topic": ..., "subject": ..., "key": ..., "value": {...}, "headers": {...}}]}
Each value is serialized with Confluent's AvroSerializer using the schema registered under the
record's subject (TopicRecordNameStrategy, no auto-registration) and produced with the
Java-compatible murmur2 partitioner. Money amounts ({"amount": "12.50", "currency": ...}) are
sent as decimals, as the schema's decimal logical type wants. Prints {"produced": n}.
"""
import decimal
import json
import sys

from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient, topic_record_subject_name_strategy
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext


def with_decimals(value):
    """Money amounts as Decimal, everything else as given."""
    if isinstance(value, dict):
        if set(value) == {"amount", "currency"} and isinstance(value["amount"], str):
            return {"amount": decimal.Decimal(value["amount"]), "currency": value["currency"]}
        return {name: with_decimals(item) for name, item in value.items()}
    if isinstance(value, list):
        return [with_decimals(item) for item in value]
    return value


def main():
    spec = json.load(sys.stdin)
    registry = SchemaRegistryClient({"url": spec["registry"]})
    producer = Producer({
        "bootstrap.servers": spec["bootstrap"],
        "partitioner": "murmur2_random",
        "enable.idempotence": True,
        "acks": "all",
    })
    failures = []

    def delivered(error, _message):
        if error is not None:
            failures.append(str(error))

    for record in spec["records"]:
        schema = registry.get_latest_version(record["subject"]).schema.schema_str
        serializer = AvroSerializer(registry, schema, conf={
            "auto.register.schemas": False,
            "subject.name.strategy": topic_record_subject_name_strategy,
        })
        value = serializer(with_decimals(record["value"]), SerializationContext(record["topic"], MessageField.VALUE))
        headers = [(name, text.encode("utf-8")) for name, text in record.get("headers", {}).items()]
        producer.produce(record["topic"], key=record["key"].encode("utf-8"), value=value, headers=headers, on_delivery=delivered)
    remaining = producer.flush(30)
    if remaining or failures:
        print(json.dumps({"error": failures or [f"{remaining} records not delivered"]}))
        sys.exit(1)
    print(json.dumps({"produced": len(spec["records"])}))


if __name__ == "__main__":
    main()
