"""Bad-input corpus, Python side: Debian's python3-confluent-kafka (legacy confluent_kafka.avro API
and the plain Producer) sends hostile records to aibroker's ingress topic.

  bad_input_corpus.py BOOTSTRAP REGISTRY TOPIC SCHEMA_FILE

Prints one JSON line per record sent: {"case": ..., "delivered": true|false, "error": ...}.
Every Avro record carries metadata {"corpus-case": <case>} so its result can be matched.
"""
import copy
import datetime
import json
import sys

from confluent_kafka import Producer, avro
from confluent_kafka.avro import AvroProducer


def request(case, **fields):
    value = {
        "requestId": "py-" + case,
        "tenantId": "py-tenant",
        "userId": None,
        "idempotencyKey": None,
        "task": "CHAT",
        "model": "chat-default",
        "messages": [{"role": "user", "content": "hello from python " + case}],
        "inputs": [],
        "params": None,
        "cache": None,
        "priority": "INTERACTIVE",
        "stream": False,
        "deadline": None,
        "replyTo": None,
        "tags": {},
        "metadata": {"corpus-case": case},
        "createdAt": datetime.datetime.now(tz=datetime.timezone.utc),
    }
    value.update(fields)
    return value


def params(max_tokens=None, temperature=None, top_p=None):
    return {"maxTokens": max_tokens, "temperature": temperature, "topP": top_p, "stop": []}


def with_extra_task_symbol(schema_json):
    """The request schema with a Task symbol aibroker does not know (registered as a new version)."""
    schema = copy.deepcopy(schema_json)
    for field in schema["fields"]:
        if field["name"] == "task":
            field["type"]["symbols"] = field["type"]["symbols"] + ["TRANSLATE"]
    return schema


def main(bootstrap, registry, topic, schema_file):
    with open(schema_file) as f:
        schema_json = json.load(f)
    config = {"bootstrap.servers": bootstrap, "schema.registry.url": registry}
    results = []

    def report(case):
        def on_delivery(err, msg):
            results.append({"case": case, "delivered": err is None, "error": str(err) if err else None})
        return on_delivery

    producer = AvroProducer(config, default_value_schema=avro.loads(json.dumps(schema_json)))
    avro_cases = [
        ("py-valid", request("py-valid")),
        ("py-nan-temperature", request("py-nan-temperature", params=params(temperature=float("nan")))),
        ("py-infinite-temperature", request("py-infinite-temperature", params=params(temperature=float("inf")))),
        ("py-negative-max-tokens", request("py-negative-max-tokens", params=params(max_tokens=-5))),
        ("py-int-max-tokens", request("py-int-max-tokens", params=params(max_tokens=2**31 - 1))),
        ("py-control-chars-tenant", request("py-control-chars-tenant", tenantId="acme\x00\x1b[31m\r\n")),
        ("py-10000-char-tenant", request("py-10000-char-tenant", tenantId="t" * 10000)),
        ("py-empty-tenant", request("py-empty-tenant", tenantId="")),
        ("py-sql-injection-request-id", request("py-sql-injection-request-id", requestId="x'; DROP TABLE results;--")),
        ("py-shell-injection-user", request("py-shell-injection-user", userId="$(rm -rf /)")),
        ("py-json-injection-tag", request("py-json-injection-tag", tags={"team": '"},"tenantId":"victim","x":{"'})),
        ("py-unknown-model", request("py-unknown-model", model="gpt-17-ultra")),
    ]
    for case, value in avro_cases:
        producer.produce(topic=topic, value=value, key=None, callback=report(case))
    producer.flush(30)

    # A writer schema with an extra enum symbol, registered by this producer as a new version.
    extended = AvroProducer(config, default_value_schema=avro.loads(json.dumps(with_extra_task_symbol(schema_json))))
    extended.produce(
        topic=topic,
        value=request("py-unknown-enum-symbol", task="TRANSLATE"),
        key=None,
        headers=[("corpus-case", b"py-unknown-enum-symbol")],
        callback=report("py-unknown-enum-symbol"),
    )
    extended.flush(30)

    # Raw bytes through the plain client: not Avro at all.
    plain = Producer({"bootstrap.servers": bootstrap})
    plain.produce(topic, key=b"py-random-bytes", value=bytes(range(256)) * 4, callback=report("py-random-bytes"))
    plain.produce(topic, key=b"py-json-not-avro", value=b'{"requestId":"j1","tenantId":"acme"}', callback=report("py-json-not-avro"))
    plain.flush(30)

    for line in results:
        print(json.dumps(line))


if __name__ == "__main__":
    main(*sys.argv[1:])
