"""Reads drift events with Python's confluent-kafka and validates each against schemas/drift-event.schema.json
with jsonschema (Draft 2020-12). Usage: drift_events_reader.py BOOTSTRAP TOPIC COUNT SCHEMA_DIR
Prints one JSON summary: count, valid, errors, and per event its id, severity and CRITICAL features."""
import json
import os
import sys
import time

from confluent_kafka import Consumer
from jsonschema import Draft202012Validator, FormatChecker

bootstrap, topic, wanted, schema_dir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
with open(os.path.join(schema_dir, "drift-event.schema.json")) as handle:
    validator = Draft202012Validator(json.load(handle), format_checker=FormatChecker())
consumer = Consumer({
    "bootstrap.servers": bootstrap, "group.id": "python-drift-reader", "auto.offset.reset": "earliest",
    "session.timeout.ms": 6000, "enable.auto.commit": False,
})
consumer.subscribe([topic])
events, errors, deadline = [], [], time.time() + 60
while len(events) < wanted and time.time() < deadline:
    message = consumer.poll(0.5)
    if message is None or message.error():
        continue
    document = json.loads(message.value())
    problems = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document)]
    errors.extend(problems)
    events.append({
        "event_id": document.get("event_id"), "key": (message.key() or b"").decode(), "severity": document.get("severity"),
        "valid": not problems, "start": document["window"]["start"], "count": document["window"]["count"],
        "critical": sorted(f["name"] for f in document.get("features", []) if f.get("severity") == "CRITICAL"),
        "operations": (document.get("operations") or {}).get("severity"),
        "error_rate": ((document.get("operations") or {}).get("metrics") or {}).get("error_rate"),
        "latency_p99_ms": ((document.get("operations") or {}).get("metrics") or {}).get("latency_p99_ms"),
    })
consumer.close()
print(json.dumps({"count": len(events), "valid": sum(e["valid"] for e in events), "errors": errors[:20], "events": events}))
