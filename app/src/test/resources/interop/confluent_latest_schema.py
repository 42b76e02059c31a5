"""Interop peer for a service that does not own aibroker's contract: Confluent's Python client
(Debian's python3-confluent-kafka 1.7, legacy API) takes the LATEST registered value schema of the
topic from the Schema Registry and produces with auto.register.schemas=False. Debian's 1.7 has no
use.latest.version setting; fetching the latest version and refusing to register is what that
setting does (GET /subjects/<topic>-value/versions/latest), so this fails with "Schema not found"
exactly when the platform has not registered its contract.

  produce BOOTSTRAP REGISTRY TOPIC REQUEST_ID TENANT TEXT
  result  BOOTSTRAP REGISTRY TOPIC GROUP REQUEST_ID  -> prints that request's result as JSON
"""
import datetime
import json
import sys

from confluent_kafka import Consumer
from confluent_kafka.avro import AvroProducer
from confluent_kafka.avro.cached_schema_registry_client import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer


def produce(bootstrap, registry, topic, request_id, tenant, text):
    client = CachedSchemaRegistryClient({"url": registry})
    schema_id, value_schema, version = client.get_latest_schema(topic + "-value")
    if value_schema is None:
        sys.exit("Schema not found: subject %s-value has no version" % topic)
    producer = AvroProducer(
        {
            "bootstrap.servers": bootstrap,
            "schema.registry.url": registry,
            "schema.registry.auto.register.schemas": False,
        },
        default_value_schema=value_schema,
    )
    value = {}
    # Every field the contract gives a default keeps it: a client of the latest version sets
    # only what it means.
    for field in value_schema.fields:
        if field.has_default:
            value[field.name] = field.default
    value.update(
        {
            "requestId": request_id,
            "tenantId": tenant,
            "userId": None,
            "idempotencyKey": None,
            "task": "CHAT",
            "model": "chat-default",
            "messages": [{"role": "user", "content": text, "cachePoint": None}],
            "inputs": [],
            "params": {"maxTokens": 64, "temperature": 0.5, "topP": None, "stop": []},
            "cache": None,
            "priority": "INTERACTIVE",
            "stream": False,
            "deadline": None,
            "replyTo": None,
            "tags": {"team": "python"},
            "metadata": {},
            "createdAt": datetime.datetime.now(tz=datetime.timezone.utc),
        }
    )
    producer.produce(topic=topic, value=value, key=None)
    if producer.flush(30):
        sys.exit("could not deliver the record")
    print(json.dumps({"schemaId": schema_id, "version": version}))


def result(bootstrap, registry, topic, group, request_id):
    # aibroker's keys are plain strings, which the legacy AvroConsumer would decode as Avro too:
    # a plain consumer, and the values decoded through the registry.
    consumer = Consumer(
        {"bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest"}
    )
    values = MessageSerializer(CachedSchemaRegistryClient({"url": registry}))
    consumer.subscribe([topic])
    deadline = datetime.datetime.now() + datetime.timedelta(seconds=120)
    while datetime.datetime.now() < deadline:
        msg = consumer.poll(1.0)
        if msg is None:
            continue
        if msg.error():
            sys.exit("consume error: %s" % msg.error())
        value = values.decode_message(msg.value())
        if value.get("requestId") == request_id:
            print(json.dumps(value, default=str))
            consumer.close()
            return
    sys.exit("no result for %s within 120 s" % request_id)


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "produce":
        produce(*args)
    elif mode == "result":
        result(*args)
    else:
        sys.exit("unknown mode " + mode)
