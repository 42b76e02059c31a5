"""Interop peer: Confluent's own Python client (legacy confluent_kafka.avro API, Debian's
python3-confluent-kafka) producing and consuming aibroker records through the Schema Registry.

  produce BOOTSTRAP REGISTRY TOPIC SCHEMA_FILE REQUEST_ID TENANT TEXT
  consume BOOTSTRAP REGISTRY TOPIC GROUP  -> prints the first record's value as JSON
"""
import datetime
import json
import sys

from confluent_kafka import avro
from confluent_kafka.avro import AvroConsumer, AvroProducer


def produce(bootstrap, registry, topic, schema_file, request_id, tenant, text):
    with open(schema_file) as f:
        value_schema = avro.loads(f.read())
    producer = AvroProducer(
        {"bootstrap.servers": bootstrap, "schema.registry.url": registry},
        default_value_schema=value_schema,
    )
    value = {
        "requestId": request_id,
        "tenantId": tenant,
        "userId": None,
        "idempotencyKey": None,
        "task": "CHAT",
        "model": "chat-default",
        "messages": [{"role": "user", "content": text}],
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
    producer.produce(topic=topic, value=value, key=None)
    remaining = producer.flush(30)
    if remaining:
        sys.exit("could not deliver the record")


def consume(bootstrap, registry, topic, group):
    consumer = AvroConsumer(
        {
            "bootstrap.servers": bootstrap,
            "schema.registry.url": registry,
            "group.id": group,
            "auto.offset.reset": "earliest",
        }
    )
    consumer.subscribe([topic])
    deadline = datetime.datetime.now() + datetime.timedelta(seconds=60)
    while datetime.datetime.now() < deadline:
        msg = consumer.poll(1.0)
        if msg is None:
            continue
        if msg.error():
            sys.exit("consume error: %s" % msg.error())
        print(json.dumps(msg.value(), default=str))
        consumer.close()
        return
    sys.exit("no record within 60 s")


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "produce":
        produce(*args)
    elif mode == "consume":
        consume(*args)
    else:
        sys.exit("unknown mode " + mode)
