"""Reads label requests and the inference events they are about with Python's confluent-kafka, validates each
request against schemas/label-request.schema.json (Draft 2020-12), and checks that each (window, partition)
requested exactly its least certain predictions (lowest top-class probability).
Usage: label_requests_reader.py BOOTSTRAP REQUESTS INFERENCE_EVENTS WINDOW_MS PER_WINDOW SCHEMA_DIR
Prints one JSON summary."""
import datetime
import json
import os
import sys
import time
from collections import defaultdict

from confluent_kafka import Consumer, TopicPartition
from jsonschema import Draft202012Validator, FormatChecker

bootstrap, wanted, events_wanted, window_ms, per_window, schema_dir = (
    sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
with open(os.path.join(schema_dir, "label-request.schema.json")) as handle:
    validator = Draft202012Validator(json.load(handle), format_checker=FormatChecker())


def read(topic, count, group):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest",
                         "session.timeout.ms": 6000, "enable.auto.commit": False})
    consumer.subscribe([topic])
    messages, deadline = [], time.time() + 60
    while len(messages) < count and time.time() < deadline:
        message = consumer.poll(0.5)
        if message is None or message.error():
            continue
        messages.append(message)
    # Anything beyond the count that is already there is read too (a surplus is a failure).
    while True:
        message = consumer.poll(1.0)
        if message is None:
            break
        if not message.error():
            messages.append(message)
    consumer.close()
    return messages


def millis(text):
    return round(datetime.datetime.fromisoformat(text).timestamp() * 1000)


requests = read("label-requests", wanted, "python-label-requests")
events = read("inference-events", events_wanted, "python-inference-reader")
errors, requested = [], defaultdict(list)
for message in requests:
    document = json.loads(message.value())
    errors.extend(f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document))
    if message.key().decode() != document["event_id"]:
        errors.append(f"key {message.key()} is not the event id")
    partition = int(document["source"].rsplit("/", 1)[1])
    requested[(millis(document["window"]["start"]), partition)].append((document["rank"], document["event_id"]))

candidates = defaultdict(list)
for message in events:
    document = json.loads(message.value())
    probabilities = document.get("prediction", {}).get("probabilities")
    if not probabilities:
        continue
    window = document["timestamp"] // window_ms * window_ms
    candidates[(window, message.partition())].append((max(probabilities.values()), document["event_id"]))

groups_checked, mismatches = 0, []
for key, entries in requested.items():
    ids = [event_id for _, event_id in sorted(entries)]
    expected = [event_id for _, event_id in sorted(candidates[key])[:per_window]]
    groups_checked += 1
    if ids != expected:
        mismatches.append({"window": key[0], "partition": key[1], "requested": ids[:5], "expected": expected[:5]})

print(json.dumps({"count": len(requests), "events": len(events), "errors": errors[:20], "groups": groups_checked,
                  "mismatches": mismatches[:5]}))
